package io.cvatfunction.runtime.annotate;

import java.util.Arrays;

/**
 * A runtime mask ({@code 0/1} bits of its box, row-major, then {@code [left, top, right, bottom]}, inclusive) as the
 * {@code points} of a CVAT mask shape: run lengths of the box's pixels row by row, alternating 0-runs and 1-runs and
 * starting with a 0-run (possibly empty), then {@code left, top, right, bottom} (inclusive).
 */
public final class MaskRle {

  private MaskRle() {}

  /** The CVAT points of {@code mask}. */
  public static int[] encode(int[] mask) {
    int pixels = mask.length - 4;
    if (pixels < 0) {
      throw new IllegalArgumentException("a mask ends with its box, 4 values; got " + mask.length + " values");
    }
    int[] runs = new int[pixels + 1 + 4];
    int count = 0;
    int current = 0;
    int length = 0;
    for (int i = 0; i < pixels; i++) {
      int bit = mask[i] != 0 ? 1 : 0;
      if (bit != current) {
        runs[count++] = length;
        current = bit;
        length = 0;
      }
      length++;
    }
    runs[count++] = length;
    System.arraycopy(mask, pixels, runs, count, 4);
    return Arrays.copyOf(runs, count + 4);
  }

  /** The bits of CVAT mask points, the inverse of {@link #encode}, for checks. */
  public static int[] decode(int[] points) {
    int n = points.length - 4;
    int left = points[n];
    int top = points[n + 1];
    int right = points[n + 2];
    int bottom = points[n + 3];
    int[] mask = new int[(right - left + 1) * (bottom - top + 1) + 4];
    int at = 0;
    for (int i = 0; i < n; i++) {
      Arrays.fill(mask, at, at + points[i], i % 2);
      at += points[i];
    }
    if (at != mask.length - 4) {
      throw new IllegalArgumentException("the runs cover " + at + " pixels, the box " + (mask.length - 4));
    }
    mask[at] = left;
    mask[at + 1] = top;
    mask[at + 2] = right;
    mask[at + 3] = bottom;
    return mask;
  }
}
