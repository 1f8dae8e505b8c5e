package io.cvatfunction.runtime.yolo;

import ai.djl.ndarray.NDList;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.image.ModelInput;
import java.util.List;

/** Ultralytics' {@code detect} task: a head's boxes, mapped to the frame; CVAT rectangles. */
final class DetectTask implements TaskDecoder<Detection.Box> {

  private final BoxHead head;

  DetectTask(BoxHead head) {
    this.head = head;
  }

  /** The head that decodes the model's boxes. */
  BoxHead head() {
    return head;
  }

  @Override
  public List<Detection.Box> decode(NDList outputs, ModelInput input, float threshold) {
    Boxes boxes = head.boxes(outputs.get(0), threshold);
    float[] frame = boxes.inFrame(input.letterBox());
    return boxes.detections(head.names(), (i, classId, label, score) ->
        new Detection.Box(classId, label, score, frame[4 * i], frame[4 * i + 1], frame[4 * i + 2], frame[4 * i + 3]));
  }

  @Override
  public Shape shape(Detection.Box box, String label, List<ShapeAttribute> attributes) {
    return Shape.rectangle(label, box.x1(), box.y1(), box.x2(), box.y2(), box.score(), attributes);
  }
}
