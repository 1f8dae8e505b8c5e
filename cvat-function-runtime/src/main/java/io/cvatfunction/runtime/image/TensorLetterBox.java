package io.cvatfunction.runtime.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Ultralytics' letterbox on a frame that is already a tensor (on the GPU, where nvJPEG left it): the same steps
 * as the OpenCV path, done by torch on the tensor's device — bilinear resize with half-pixel centres and no
 * anti-aliasing (what cv2's {@code INTER_LINEAR} computes), rounded to whole grey levels as cv2's 8-bit output
 * is, centred on a 114-grey canvas, then /255.
 */
public final class TensorLetterBox {

  /** {@code torch::nn::functional} interpolation mode as DJL's JNI numbers them. */
  private static final int BILINEAR = 2;
  private static final float PAD = 114f;

  private TensorLetterBox() {}

  /**
   * Letterboxes an RGB {@code [3, height, width]} frame of grey levels 0–255 (uint8, or float holding whole values)
   * into the model's float input {@code [1, 3, h, w]}, on the frame's device. The result belongs to the frame's
   * manager.
   */
  public static NDArray apply(NDArray rgb, LetterBox box) {
    Shape shape = rgb.getShape();
    if (shape.dimension() != 3 || shape.get(0) != 3 || shape.get(1) != box.srcHeight() || shape.get(2) != box.srcWidth()) {
      throw new IllegalArgumentException("expected a [3, " + box.srcHeight() + ", " + box.srcWidth() + "] frame, got " + shape);
    }
    NDArray frame = rgb.toType(DataType.FLOAT32, false).expandDims(0);
    if (box.resizedWidth() != box.srcWidth() || box.resizedHeight() != box.srcHeight()) {
      frame = JniUtils.interpolate((PtNDArray) frame, new long[] {box.resizedHeight(), box.resizedWidth()}, BILINEAR, false)
          .add(0.5f).floor().clip(0, 255); // cv2 rounds half up
    }
    NDArray input = rgb.getManager().full(new Shape(1, 3, box.dstHeight(), box.dstWidth()), PAD, DataType.FLOAT32);
    input.set(new NDIndex(":, :, {}:{}, {}:{}", box.top(), box.top() + box.resizedHeight(),
        box.left(), box.left() + box.resizedWidth()), frame);
    return input.div(255f);
  }
}
