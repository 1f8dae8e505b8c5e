package io.cvatfunction.runtime.yolo;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.image.LetterBox;
import io.cvatfunction.runtime.image.ModelInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Ultralytics' {@code obb} task, as its {@code non_max_suppression(rotated=True)} and {@code OBBPredictor} decode
 * the raw head {@code (1, 4 + nc + 1, anchors)} of YOLOv8/11-obb: rows {@code cx, cy, w, h} (model-input pixels,
 * already decoded by the exported head), class scores, the angle in radians; best class per anchor, score strictly
 * above the threshold, {@link RotatedNms}; then the angle regularised into [0, π/2) ({@code regularize_rboxes}: a box
 * turned by π/2 or more has its sides swapped) and the box mapped to the frame as {@code scale_boxes(xywh=True)} maps
 * it: the rounded pads off the centre, everything divided by the gain, and {@code clip_boxes}, which on an {@code
 * xywh} box clips {@code cx} and {@code w} to the frame's width and {@code cy} and {@code h} to its height. CVAT
 * rectangles with a rotation: the unturned box about the centre, turned clockwise by the angle in degrees.
 */
final class ObbTask implements TaskDecoder<Detection.OrientedBox> {

  private static final double HALF_PI = Math.PI / 2;

  private final List<String> names;

  ObbTask(List<String> names) {
    this.names = names;
  }

  /**
   * The task for a model with a raw OBB head.
   *
   * @throws MalformedModelException for an NMS-free OBB head, whose layout this runtime does not decode
   */
  static ObbTask of(TaskContext context) throws MalformedModelException {
    if (BoxHead.endToEnd(context.metadata(), context.outputShape())) {
      throw new MalformedModelException("the model is an NMS-free (end2end) OBB export, which this runtime does not"
          + " decode yet: export a YOLOv8/11-obb model, whose head gives cx, cy, w, h, class scores and an angle");
    }
    return new ObbTask(context.metadata().names());
  }

  @Override
  public List<Detection.OrientedBox> decode(NDList outputs, ModelInput input, float threshold) {
    int classCount = names.size();
    NDArray prediction = outputs.get(0).get(0);
    int columns = Math.toIntExact(prediction.getShape().get(0));
    if (columns != 4 + classCount + 1) {
      throw new IllegalStateException("the OBB model's head has " + columns + " rows, but " + classCount
          + " classes need " + (4 + classCount + 1) + " (cx, cy, w, h, a score per class, the angle)");
    }
    NDArray best = prediction.get(new NDIndex("4:{}", 4 + classCount)).max(new int[] {0});
    float[] values = prediction.transpose().get(best.gt(threshold)).toFloatArray();
    int count = values.length / columns;
    float[] boxes = new float[5 * count];
    float[] scores = new float[count];
    int[] classes = new int[count];
    for (int i = 0; i < count; i++) {
      int o = i * columns;
      System.arraycopy(values, o, boxes, 5 * i, 4);
      boxes[5 * i + 4] = values[o + 4 + classCount];
      int bestClass = 0;
      for (int c = 1; c < classCount; c++) {
        if (values[o + 4 + c] > values[o + 4 + bestClass]) {
          bestClass = c;
        }
      }
      scores[i] = values[o + 4 + bestClass];
      classes[i] = bestClass;
    }
    int[] kept = RotatedNms.run(boxes, scores, classes, count, RawDetectHead.IOU_THRESHOLD,
        RawDetectHead.MAX_NMS_CANDIDATES, BoxHead.MAX_DETECTIONS);
    LetterBox letterBox = input.letterBox();
    List<Detection.OrientedBox> detections = new ArrayList<>(kept.length);
    for (int i : kept) {
      detections.add(inFrame(boxes, i, classes[i], scores[i], letterBox));
    }
    return detections;
  }

  private Detection.OrientedBox inFrame(float[] boxes, int i, int classId, float score, LetterBox letterBox) {
    int o = 5 * i;
    boolean swap = remainder(boxes[o + 4], Math.PI) >= HALF_PI;
    float width = swap ? boxes[o + 3] : boxes[o + 2];
    float height = swap ? boxes[o + 2] : boxes[o + 3];
    double gain = letterBox.gain();
    return new Detection.OrientedBox(classId, names.get(classId), score,
        clip((boxes[o] - letterBox.padX()) / gain, letterBox.srcWidth()),
        clip((boxes[o + 1] - letterBox.padY()) / gain, letterBox.srcHeight()),
        clip(width / gain, letterBox.srcWidth()), clip(height / gain, letterBox.srcHeight()),
        (float) remainder(boxes[o + 4], HALF_PI));
  }

  /** Python's {@code %} on floats: the remainder with the divisor's sign, so an angle's is never negative. */
  private static double remainder(double value, double divisor) {
    double r = value % divisor;
    return r < 0 ? r + divisor : r;
  }

  private static float clip(double value, int max) {
    return (float) Math.max(0, Math.min(max, value));
  }

  @Override
  public Shape shape(Detection.OrientedBox box, String label, List<ShapeAttribute> attributes) {
    float halfW = box.width() / 2;
    float halfH = box.height() / 2;
    return Shape.rotatedRectangle(label, box.cx() - halfW, box.cy() - halfH, box.cx() + halfW, box.cy() + halfH,
        (float) Math.toDegrees(box.angle()), box.score(), attributes);
  }
}
