package io.cvatfunction.runtime.yolo;

import java.util.Arrays;

/**
 * Class-aware greedy non-maximum suppression as Ultralytics runs it ({@code torchvision.ops.nms} on boxes
 * offset by class): boxes of different classes never suppress each other, and a box is dropped when its
 * IoU with a kept, higher-scoring box of its class is above the threshold.
 */
final class Nms {

  private Nms() {}

  /**
   * Picks the boxes to keep.
   *
   * @param boxes flat {@code [x1, y1, x2, y2]} per candidate
   * @param scores one score per candidate
   * @param classes one class id per candidate
   * @param count how many candidates
   * @param iouThreshold suppress above this IoU
   * @param maxCandidates only this many top-scoring candidates enter NMS ({@code max_nms})
   * @param maxKept at most this many are kept ({@code max_det})
   * @return kept candidate indices, highest score first
   */
  static int[] run(float[] boxes, float[] scores, int[] classes, int count,
      float iouThreshold, int maxCandidates, int maxKept) {
    Integer[] order = byScore(scores, count);
    int candidates = Math.min(count, maxCandidates);
    boolean[] suppressed = new boolean[candidates];
    int[] kept = new int[Math.min(candidates, maxKept)];
    int keptCount = 0;
    for (int i = 0; i < candidates && keptCount < kept.length; i++) {
      if (suppressed[i]) {
        continue;
      }
      int a = order[i];
      kept[keptCount++] = a;
      float areaA = area(boxes, a);
      for (int j = i + 1; j < candidates; j++) {
        int b = order[j];
        if (!suppressed[j] && classes[a] == classes[b] && iou(boxes, a, b, areaA) > iouThreshold) {
          suppressed[j] = true;
        }
      }
    }
    return Arrays.copyOf(kept, keptCount);
  }

  /** The candidates' indices, highest score first. */
  static Integer[] byScore(float[] scores, int count) {
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
    return order;
  }

  private static float area(float[] boxes, int i) {
    return (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
  }

  private static float iou(float[] boxes, int a, int b, float areaA) {
    float w = Math.min(boxes[4 * a + 2], boxes[4 * b + 2]) - Math.max(boxes[4 * a], boxes[4 * b]);
    float h = Math.min(boxes[4 * a + 3], boxes[4 * b + 3]) - Math.max(boxes[4 * a + 1], boxes[4 * b + 1]);
    if (w <= 0 || h <= 0) {
      return 0;
    }
    float inter = w * h;
    return inter / (areaA + area(boxes, b) - inter);
  }
}
