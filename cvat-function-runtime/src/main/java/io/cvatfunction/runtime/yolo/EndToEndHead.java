package io.cvatfunction.runtime.yolo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The NMS-free head of YOLO26 and YOLOv10 {@code (1, k, 6 + extra)}: rows {@code x1, y1, x2, y2, score, class}
 * and any extra values, sorted by score; rows scoring strictly above the threshold, at most
 * {@link #MAX_DETECTIONS}.
 */
final class EndToEndHead extends BoxHead {

  EndToEndHead(List<String> names) {
    super(names);
  }

  /** Whether an output of this shape is an NMS-free head, for exports whose metadata does not say. */
  static boolean looksEndToEnd(Shape shape) {
    return shape.dimension() == 3 && shape.get(2) >= 6 && shape.get(2) < shape.get(1) && shape.get(1) <= MAX_DETECTIONS;
  }

  @Override
  Boxes boxes(NDArray output, float threshold) {
    NDArray prediction = output.get(0);
    NDArray rows = prediction.get(prediction.get(":, 4").gt(threshold));
    int columns = Math.toIntExact(prediction.getShape().get(1));
    float[] values = rows.toFloatArray();
    int count = Math.min(values.length / columns, MAX_DETECTIONS);
    int extra = columns - 6;
    Boxes boxes = Boxes.allocate(count, extra);
    for (int i = 0; i < count; i++) {
      int o = i * columns;
      System.arraycopy(values, o, boxes.boxes(), 4 * i, 4);
      boxes.scores()[i] = values[o + 4];
      boxes.classes()[i] = Math.round(values[o + 5]);
      System.arraycopy(values, o + 6, boxes.extras(), i * extra, extra);
    }
    return boxes;
  }
}
