package io.cvatfunction.runtime.image;

/**
 * The arithmetic of Ultralytics' classification pre-processing ({@code classify_transforms}): torchvision's {@code
 * Resize(size)}, which scales the shorter side to {@code size} and the longer one to {@code int(size · long /
 * short)}, then {@code CenterCrop(size)}, whose offsets are rounded half to even (Python's {@code round}).
 *
 * @param srcWidth the frame's width
 * @param srcHeight the frame's height
 * @param resizedWidth the width after the resize
 * @param resizedHeight the height after the resize
 * @param left the crop's first column in the resized frame
 * @param top the crop's first row in the resized frame
 * @param size the crop's width and height: the model input's
 */
public record CenterCrop(int srcWidth, int srcHeight, int resizedWidth, int resizedHeight, int left, int top, int size)
    implements FrameGeometry {

  /** Plans the resize and crop of a {@code srcWidth × srcHeight} frame into a {@code size × size} input. */
  public static CenterCrop of(int srcWidth, int srcHeight, int size) {
    if (srcWidth <= 0 || srcHeight <= 0 || size <= 0) {
      throw new IllegalArgumentException("sizes must be positive, got " + srcWidth + "x" + srcHeight + " to " + size);
    }
    int shorter = Math.min(srcWidth, srcHeight);
    int longer = Math.max(srcWidth, srcHeight);
    int scaledLonger = (int) ((double) size * longer / shorter);
    int width = srcWidth <= srcHeight ? size : scaledLonger;
    int height = srcWidth <= srcHeight ? scaledLonger : size;
    return new CenterCrop(srcWidth, srcHeight, width, height, (int) Math.rint((width - size) / 2.0),
        (int) Math.rint((height - size) / 2.0), size);
  }
}
