package io.cvatfunction.runtime.yolo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Turns the output tensor of a YOLO head into boxes in model-input pixels, as Ultralytics'
 * {@code non_max_suppression} does. The confidence filter runs on the tensor's device, so only the
 * candidates are copied to the JVM.
 */
final class HeadDecoder {

  /** Ultralytics' predict defaults. */
  static final float IOU_THRESHOLD = 0.7f;
  static final int MAX_DETECTIONS = 300;
  static final int MAX_NMS_CANDIDATES = 30_000;

  private HeadDecoder() {}

  /**
   * Decodes a raw head {@code (1, 4 + nc + extra, anchors)}: rows {@code cx, cy, w, h}, class scores
   * (already sigmoid), then any extra per-anchor values; best class per anchor, score strictly above
   * {@code threshold}, class-aware NMS.
   */
  static Boxes decodeRaw(NDArray output, int classCount, float threshold) {
    NDArray prediction = output.get(0);
    NDArray best = prediction.get(new NDIndex("4:{}", 4 + classCount)).max(new int[] {0});
    NDArray rows = prediction.transpose().get(best.gt(threshold));
    int columns = Math.toIntExact(prediction.getShape().get(0));
    float[] values = rows.toFloatArray();
    int count = values.length / columns;

    int extra = columns - 4 - classCount;
    float[] boxes = new float[count * 4];
    float[] scores = new float[count];
    int[] classes = new int[count];
    float[] extras = new float[count * extra];
    for (int i = 0; i < count; i++) {
      int o = i * columns;
      System.arraycopy(values, o + 4 + classCount, extras, i * extra, extra);
      int bestClass = 0;
      float bestScore = values[o + 4];
      for (int c = 1; c < classCount; c++) {
        if (values[o + 4 + c] > bestScore) {
          bestScore = values[o + 4 + c];
          bestClass = c;
        }
      }
      float halfW = values[o + 2] / 2;
      float halfH = values[o + 3] / 2;
      boxes[4 * i] = values[o] - halfW;
      boxes[4 * i + 1] = values[o + 1] - halfH;
      boxes[4 * i + 2] = values[o] + halfW;
      boxes[4 * i + 3] = values[o + 1] + halfH;
      scores[i] = bestScore;
      classes[i] = bestClass;
    }
    int[] kept = Nms.run(boxes, scores, classes, count, IOU_THRESHOLD, MAX_NMS_CANDIDATES, MAX_DETECTIONS);
    return new Boxes(boxes, scores, classes, extras, extra).select(kept);
  }

  /**
   * Decodes an NMS-free head {@code (1, k, 6 + extra)}: rows {@code x1, y1, x2, y2, score, class} and any
   * extra values, sorted by score; rows with score strictly above {@code threshold}, at most
   * {@link #MAX_DETECTIONS}.
   */
  static Boxes decodeEndToEnd(NDArray output, float threshold) {
    NDArray prediction = output.get(0);
    NDArray rows = prediction.get(prediction.get(":, 4").gt(threshold));
    int columns = Math.toIntExact(prediction.getShape().get(1));
    float[] values = rows.toFloatArray();
    int count = Math.min(values.length / columns, MAX_DETECTIONS);
    int extra = columns - 6;
    float[] boxes = new float[count * 4];
    float[] scores = new float[count];
    int[] classes = new int[count];
    float[] extras = new float[count * extra];
    for (int i = 0; i < count; i++) {
      int o = i * columns;
      System.arraycopy(values, o, boxes, 4 * i, 4);
      scores[i] = values[o + 4];
      classes[i] = Math.round(values[o + 5]);
      System.arraycopy(values, o + 6, extras, i * extra, extra);
    }
    return new Boxes(boxes, scores, classes, extras, extra);
  }

  /** Whether an output of this shape is an NMS-free head, for exports whose metadata does not say. */
  static boolean looksEndToEnd(Shape shape) {
    return shape.dimension() == 3 && shape.get(2) >= 6 && shape.get(2) < shape.get(1) && shape.get(1) <= MAX_DETECTIONS;
  }

  /**
   * Boxes {@code [x1, y1, x2, y2]} with their scores, class ids and extra values (a segmentation model's mask
   * coefficients), highest score first.
   *
   * @param boxes four floats per box
   * @param scores one per box
   * @param classes one per box
   * @param extras {@code extraWidth} floats per box
   * @param extraWidth extra values per box
   */
  record Boxes(float[] boxes, float[] scores, int[] classes, float[] extras, int extraWidth) {

    Boxes select(int[] indices) {
      float[] b = new float[indices.length * 4];
      float[] s = new float[indices.length];
      int[] c = new int[indices.length];
      float[] e = new float[indices.length * extraWidth];
      for (int i = 0; i < indices.length; i++) {
        System.arraycopy(boxes, 4 * indices[i], b, 4 * i, 4);
        s[i] = scores[indices[i]];
        c[i] = classes[indices[i]];
        System.arraycopy(extras, extraWidth * indices[i], e, extraWidth * i, extraWidth);
      }
      return new Boxes(b, s, c, e, extraWidth);
    }

    int count() {
      return scores.length;
    }
  }
}
