package io.cvatfunction.runtime.yolo;

import ai.djl.ndarray.index.NDIndex;

/**
 * The part of the model input that can hold an instance's mask pixels: its box and 2 pixels around it (bilinear
 * upsampling reaches past the box crop), clamped to the input and at least one pixel. Only this part is copied to
 * the host and traced, so the device slice and the contour offset come from this one rectangle.
 *
 * @param x the first column in model-input pixels
 * @param y the first row
 * @param width columns, at least 1
 * @param height rows, at least 1
 */
record MaskRegion(int x, int y, int width, int height) {

  /**
   * The region of box {@code i}.
   *
   * @param boxes {@code [x1, y1, x2, y2]} per box, in model-input pixels
   */
  static MaskRegion around(float[] boxes, int i, int inputWidth, int inputHeight) {
    int x0 = clamp((int) Math.floor(boxes[4 * i]) - 2, inputWidth - 1);
    int y0 = clamp((int) Math.floor(boxes[4 * i + 1]) - 2, inputHeight - 1);
    int x1 = clamp((int) Math.ceil(boxes[4 * i + 2]) + 2, inputWidth);
    int y1 = clamp((int) Math.ceil(boxes[4 * i + 3]) + 2, inputHeight);
    return new MaskRegion(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
  }

  /** Its pixels. */
  int size() {
    return width * height;
  }

  /** This region of plane {@code plane} of an {@code (n, inputHeight, inputWidth, ...)} tensor. */
  NDIndex of(int plane) {
    return new NDIndex("{}, {}:{}, {}:{}", plane, y, y + height, x, x + width);
  }

  private static int clamp(int value, int max) {
    return Math.max(0, Math.min(max, value));
  }
}
