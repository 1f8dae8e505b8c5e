package io.cvatfunction.runtime.yolo;

import io.cvatfunction.runtime.image.LetterBox;
import java.util.ArrayList;
import java.util.List;

/**
 * Boxes {@code [x1, y1, x2, y2]} in model-input pixels with their scores, class ids and extra values (a
 * segmentation model's mask coefficients, a pose model's keypoints), highest score first.
 *
 * @param boxes four floats per box
 * @param scores one per box
 * @param classes one per box
 * @param extras {@code extraWidth} floats per box
 * @param extraWidth extra values per box
 */
record Boxes(float[] boxes, float[] scores, int[] classes, float[] extras, int extraWidth) {

  /** Room for {@code count} boxes, for a head to fill in. */
  static Boxes allocate(int count, int extraWidth) {
    return new Boxes(new float[count * 4], new float[count], new int[count], new float[count * extraWidth], extraWidth);
  }

  Boxes select(int[] indices) {
    Boxes selected = allocate(indices.length, extraWidth);
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(boxes, 4 * indices[i], selected.boxes, 4 * i, 4);
      selected.scores[i] = scores[indices[i]];
      selected.classes[i] = classes[indices[i]];
      System.arraycopy(extras, extraWidth * indices[i], selected.extras, extraWidth * i, extraWidth);
    }
    return selected;
  }

  int count() {
    return scores.length;
  }

  /** The boxes in frame pixels, clipped to the frame. */
  float[] inFrame(LetterBox letterBox) {
    float[] frameBoxes = boxes.clone();
    letterBox.mapToFrame(frameBoxes, count(), 4);
    return frameBoxes;
  }

  /**
   * One detection per box whose class the model names, highest score first; a class id the model has no name for
   * (a malformed head) is dropped.
   *
   * @param names class names by class id
   * @param detection makes the detection of box {@code i}
   */
  <D extends Detection> List<D> detections(List<String> names, PerBox<D> detection) {
    List<D> detections = new ArrayList<>(count());
    for (int i = 0; i < count(); i++) {
      int classId = classes[i];
      if (classId >= 0 && classId < names.size()) {
        detections.add(detection.make(i, classId, names.get(classId), scores[i]));
      }
    }
    return detections;
  }

  /** Makes the detection of one box. */
  @FunctionalInterface
  interface PerBox<D> {
    D make(int index, int classId, String label, float score);
  }
}
