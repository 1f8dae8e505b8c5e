package io.cvatfunction.runtime.image;

/**
 * The arithmetic of Ultralytics' {@code LetterBox} (predict mode: no stride rounding, centred, scale-up
 * allowed) and of {@code scale_boxes}, which maps boxes back. Python's {@code round} rounds half to even,
 * hence {@link Math#rint}.
 *
 * @param srcWidth the frame's width
 * @param srcHeight the frame's height
 * @param dstWidth the model input's width
 * @param dstHeight the model input's height
 * @param resizedWidth the frame's width after scaling
 * @param resizedHeight the frame's height after scaling
 * @param top rows of padding above
 * @param bottom rows of padding below
 * @param left columns of padding to the left
 * @param right columns of padding to the right
 */
public record LetterBox(
    int srcWidth, int srcHeight, int dstWidth, int dstHeight,
    int resizedWidth, int resizedHeight, int top, int bottom, int left, int right) implements FrameGeometry {

  /** Plans the letterbox of a {@code srcWidth × srcHeight} frame into a {@code dstWidth × dstHeight} input. */
  public static LetterBox of(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
    if (srcWidth <= 0 || srcHeight <= 0) {
      throw new IllegalArgumentException("frame size must be positive, got " + srcWidth + "x" + srcHeight);
    }
    double ratio = Math.min((double) dstHeight / srcHeight, (double) dstWidth / srcWidth);
    int resizedWidth = (int) Math.rint(srcWidth * ratio);
    int resizedHeight = (int) Math.rint(srcHeight * ratio);
    double padX = (dstWidth - resizedWidth) / 2.0;
    double padY = (dstHeight - resizedHeight) / 2.0;
    return new LetterBox(srcWidth, srcHeight, dstWidth, dstHeight, resizedWidth, resizedHeight,
        (int) Math.rint(padY - 0.1), (int) Math.rint(padY + 0.1),
        (int) Math.rint(padX - 0.1), (int) Math.rint(padX + 0.1));
  }

  /** The scale {@code scale_boxes} divides by. */
  public double gain() {
    return Math.min((double) dstHeight / srcHeight, (double) dstWidth / srcWidth);
  }

  /** The x offset {@code scale_boxes} subtracts (computed from the unrounded size, as Ultralytics does). */
  public double padX() {
    return Math.rint((dstWidth - srcWidth * gain()) / 2 - 0.1) + 0.0; // + 0.0 turns -0.0 into 0.0
  }

  /** The y offset {@code scale_boxes} subtracts. */
  public double padY() {
    return Math.rint((dstHeight - srcHeight * gain()) / 2 - 0.1) + 0.0;
  }

  /**
   * Maps boxes {@code [x1, y1, x2, y2]} from model-input pixels to frame pixels in place, clipped to the
   * frame ({@code scale_boxes} then {@code clip_boxes}).
   *
   * @param boxes flat boxes, {@code stride} floats per box, the box in the first four
   * @param count how many boxes
   * @param stride floats per box
   */
  public void mapToFrame(float[] boxes, int count, int stride) {
    for (int i = 0; i < count; i++) {
      mapPointsToFrame(boxes, i * stride, 2);
    }
  }

  /**
   * Maps points {@code x, y} from model-input pixels to frame pixels in place, clipped to the frame
   * ({@code scale_coords} then {@code clip_coords}, which clip as boxes are clipped).
   *
   * @param points flat {@code x, y} pairs
   * @param offset the index of the first point's x
   * @param count how many points
   */
  public void mapPointsToFrame(float[] points, int offset, int count) {
    map(points, offset, count, 2, padX(), padY());
  }

  /**
   * Maps keypoints from model-input pixels to frame pixels in place, clipped to the frame, as Ultralytics' {@code
   * scale_coords} maps a pose model's keypoints: with the pads unrounded, {@code (dstWidth - srcWidth · gain) / 2},
   * where {@link #mapPointsToFrame} subtracts them rounded as {@code scale_boxes} does. The two differ only when a pad
   * is not a whole number of pixels.
   *
   * @param keypoints {@code x, y} then {@code stride - 2} other values per keypoint, left as they are
   * @param offset the index of the first keypoint's x
   * @param count how many keypoints
   * @param stride values per keypoint
   */
  public void mapKeypointsToFrame(float[] keypoints, int offset, int count, int stride) {
    map(keypoints, offset, count, stride, (dstWidth - srcWidth * gain()) / 2, (dstHeight - srcHeight * gain()) / 2);
  }

  private void map(float[] points, int offset, int count, int stride, double padX, double padY) {
    double gain = gain();
    for (int o = offset; o < offset + stride * count; o += stride) {
      points[o] = clip((points[o] - padX) / gain, srcWidth);
      points[o + 1] = clip((points[o + 1] - padY) / gain, srcHeight);
    }
  }

  private static float clip(double value, int max) {
    return (float) Math.max(0, Math.min(max, value));
  }
}
