package io.cvatfunction.runtime.yolo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/**
 * The raw head of YOLOv8/11 {@code (1, 4 + nc + extra, anchors)}, decoded as Ultralytics'
 * {@code non_max_suppression} does: rows {@code cx, cy, w, h}, class scores (already sigmoid), then any extra
 * per-anchor values; best class per anchor, score strictly above the threshold, class-aware NMS. The confidence
 * filter runs on the tensor's device, so only the candidates are copied to the JVM.
 */
final class RawDetectHead extends BoxHead {

  /** Ultralytics' predict defaults. */
  static final float IOU_THRESHOLD = 0.7f;
  static final int MAX_NMS_CANDIDATES = 30_000;

  RawDetectHead(List<String> names) {
    super(names);
  }

  @Override
  Boxes boxes(NDArray output, float threshold) {
    int classCount = names().size();
    NDArray prediction = output.get(0);
    NDArray best = prediction.get(new NDIndex("4:{}", 4 + classCount)).max(new int[] {0});
    NDArray rows = prediction.transpose().get(best.gt(threshold));
    int columns = Math.toIntExact(prediction.getShape().get(0));
    float[] values = rows.toFloatArray();
    int count = values.length / columns;

    int extra = columns - 4 - classCount;
    Boxes candidates = Boxes.allocate(count, extra);
    float[] boxes = candidates.boxes();
    for (int i = 0; i < count; i++) {
      int o = i * columns;
      System.arraycopy(values, o + 4 + classCount, candidates.extras(), i * extra, extra);
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
      candidates.scores()[i] = bestScore;
      candidates.classes()[i] = bestClass;
    }
    int[] kept = Nms.run(boxes, candidates.scores(), candidates.classes(), count, IOU_THRESHOLD, MAX_NMS_CANDIDATES,
        MAX_DETECTIONS);
    return candidates.select(kept);
  }
}
