package io.cvatfunction.runtime.yolo;

/**
 * One instance's mask in frame pixels, as CVAT wants it: the 0/1 crop of its box and its outer polygon.
 *
 * @param left the box's first column (inclusive)
 * @param top the box's first row (inclusive)
 * @param right the box's last column (inclusive)
 * @param bottom the box's last row (inclusive)
 * @param bits {@code (right - left + 1) × (bottom - top + 1)} values of 0 or 1, row-major
 * @param polygon the outer contour, {@code x1, y1, x2, y2, ...} in frame pixels (empty for an empty mask)
 */
public record InstanceMask(int left, int top, int right, int bottom, byte[] bits, float[] polygon) {

  /** An instance without a mask (an export without prototypes): no pixels and no outline, on one pixel. */
  static InstanceMask empty(float[] frameBoxes, int i) {
    int left = (int) frameBoxes[4 * i];
    int top = (int) frameBoxes[4 * i + 1];
    return new InstanceMask(left, top, left, top, new byte[1], new float[0]);
  }

  /** CVAT's {@code mask} payload: the bits, then {@code [xtl, ytl, xbr, ybr]}. */
  public int[] cvatMask() {
    int[] mask = new int[bits.length + 4];
    for (int i = 0; i < bits.length; i++) {
      mask[i] = bits[i];
    }
    mask[bits.length] = left;
    mask[bits.length + 1] = top;
    mask[bits.length + 2] = right;
    mask[bits.length + 3] = bottom;
    return mask;
  }
}
