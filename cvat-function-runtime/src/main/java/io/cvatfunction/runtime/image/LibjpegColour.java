package io.cvatfunction.runtime.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * The last two steps of libjpeg(-turbo)'s decoder — "fancy" chroma upsampling and the YCbCr to RGB conversion —
 * as tensor operations, so planes decoded by nvJPEG become the pixels OpenCV (and so Ultralytics' cv2) would
 * produce. nvJPEG's own RGB output upsamples chroma by replication, which moves colour edges by a pixel and, on
 * the fixture frames, confidences by up to 0.05.
 *
 * <p>Every value is an integer below 2<sup>24</sup>, exact in float32, and libjpeg's right shifts are floors of
 * divisions by powers of two, so the results are libjpeg's to the bit for the same planes. Both chroma planes
 * travel as one tensor, so each step is one operation for both: on a GPU the cost is in launching operations.
 */
final class LibjpegColour {

  // jdcolor.c: FIX(x) = (int) (x * 65536 + 0.5)
  private static final float CR_R = 91881f;  // FIX(1.40200)
  private static final float CB_B = 116130f; // FIX(1.77200)
  private static final float CB_G = 22554f;  // FIX(0.34414)
  private static final float CR_G = 46802f;  // FIX(0.71414)
  private static final float ONE_HALF = 32768f;
  private static final float SCALE = 65536f;

  private LibjpegColour() {}

  /** How the chroma planes are subsampled. */
  enum Subsampling {
    /** 4:4:4, chroma at full size. */
    NONE,
    /** 4:2:2, chroma at half width ({@code h2v1_fancy_upsample}). */
    HORIZONTAL,
    /** 4:2:0, chroma at half width and height ({@code h2v2_fancy_upsample}). */
    BOTH
  }

  /**
   * Converts decoded planes into RGB.
   *
   * @param y luma {@code [height, width]}, uint8
   * @param chroma Cb and Cr {@code [2, h, w]} at their subsampled size, uint8
   * @return float {@code [3, height, width]} with whole values in [0, 255], on the planes' device
   */
  static NDArray toRgb(NDArray y, NDArray chroma, Subsampling subsampling) {
    long height = y.getShape().get(0);
    long width = y.getShape().get(1);
    NDArray c;
    try (NDScope upsampling = new NDScope()) { // frees the temporaries of the full-size planes step by step
      c = upsample(chroma.toType(DataType.FLOAT32, false), subsampling);
      if (c.getShape().get(1) != height || c.getShape().get(2) != width) {
        c = c.get(new NDIndex().addAllDim().addSliceDim(0, height).addSliceDim(0, width));
      }
      c = c.sub(128f);
      NDScope.unregister(c);
    }
    try (NDScope conversion = new NDScope()) {
      NDArray luma = y.toType(DataType.FLOAT32, false);
      NDArray blue = c.get(0);
      NDArray red = c.get(1);
      NDArray r = luma.add(shiftRight(red.mul(CR_R).add(ONE_HALF)));
      NDArray g = luma.add(shiftRight(blue.mul(-CB_G).add(red.mul(-CR_G)).add(ONE_HALF)));
      NDArray b = luma.add(shiftRight(blue.mul(CB_B).add(ONE_HALF)));
      NDArray rgb = r.stack(g).concat(b.expandDims(0)).clip(0, 255);
      NDScope.unregister(rgb);
      return rgb;
    } finally {
      c.close();
    }
  }

  /**
   * Each output sample weighs its nearer input sample 3 and the further one 1 along each subsampled axis, edge
   * samples repeated (libjpeg's context rows and edge columns do the same); then libjpeg's rounding: +8 for
   * even and +7 for odd columns before dividing by 16 (2-D), +1 and +2 before dividing by 4 (horizontal only).
   */
  private static NDArray upsample(NDArray planes, Subsampling subsampling) {
    return switch (subsampling) {
      case NONE -> planes;
      case HORIZONTAL -> floorDiv(horizontal(planes, 1f, 2f), 4f);
      case BOTH -> {
        NDArray padded = pad(planes, 1);
        long h = planes.getShape().get(1);
        NDArray three = planes.mul(3f);
        NDArray upper = three.add(padded.get(new NDIndex().addAllDim().addSliceDim(0, h)));
        NDArray lower = three.add(padded.get(new NDIndex().addAllDim().addSliceDim(2, h + 2)));
        NDArray columnSums = interleave(upper, lower, 1);
        yield floorDiv(horizontal(columnSums, 8f, 7f), 16f);
      }
    };
  }

  /** {@code 3 × sample + left neighbour + evenBias} and {@code 3 × sample + right neighbour + oddBias}, interleaved. */
  private static NDArray horizontal(NDArray planes, float evenBias, float oddBias) {
    long w = planes.getShape().get(2);
    NDArray padded = pad(planes, 2);
    NDArray three = planes.mul(3f).add(evenBias);
    NDArray even = three.add(padded.get(new NDIndex().addAllDim(2).addSliceDim(0, w)));
    NDArray odd = three.add(padded.get(new NDIndex().addAllDim(2).addSliceDim(2, w + 2))).add(oddBias - evenBias);
    return even.stack(odd, 3).reshape(planes.getShape().get(0), planes.getShape().get(1), 2 * w);
  }

  /** The planes with their first and last rows ({@code axis} 1) or columns (2) repeated outside. */
  private static NDArray pad(NDArray planes, int axis) {
    long n = planes.getShape().get(axis);
    NDIndex first = new NDIndex().addAllDim(axis).addSliceDim(0, 1);
    NDIndex last = new NDIndex().addAllDim(axis).addSliceDim(n - 1, n);
    return planes.get(first).concat(planes, axis).concat(planes.get(last), axis);
  }

  /** {@code [p, h, w]} twice → {@code [p, 2h, w]}, even rows from the first. */
  private static NDArray interleave(NDArray even, NDArray odd, int axis) {
    long p = even.getShape().get(0);
    long h = even.getShape().get(1);
    long w = even.getShape().get(2);
    return even.stack(odd, axis + 1).reshape(p, 2 * h, w);
  }

  private static NDArray floorDiv(NDArray value, float divisor) {
    return value.div(divisor).floor();
  }

  private static NDArray shiftRight(NDArray value) {
    return floorDiv(value, SCALE);
  }
}
