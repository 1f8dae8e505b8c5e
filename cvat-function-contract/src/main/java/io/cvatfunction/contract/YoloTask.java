package io.cvatfunction.contract;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an Ultralytics model was trained to do (the {@code task} of its {@code config.txt}) and the CVAT label type
 * its results become. The runtime decodes each task with one class of its own; {@code cvat:spec} declares the label
 * type named here, so the two cannot drift.
 */
public enum YoloTask {
  /** Boxes: CVAT rectangles. */
  DETECT("rectangle"),
  /** Instance masks: CVAT masks, or polygons when the function answers polygons. */
  SEGMENT("mask"),
  /** Keypoints of each box: CVAT skeletons, one {@code points} sublabel a keypoint. */
  POSE("skeleton"),
  /** Rotated boxes: CVAT rectangles with a {@code rotation}. */
  OBB("rectangle"),
  /** One class for the whole frame: a CVAT tag. */
  CLASSIFY("tag");

  private final String labelType;

  YoloTask(String labelType) {
    this.labelType = labelType;
  }

  /** The name Ultralytics gives the task: {@code detect}, {@code segment}, {@code pose}, {@code obb}, {@code classify}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The CVAT label (and shape) type of the task's results.
   *
   * @param polygons whether a segment model's instances are answered as polygons rather than masks
   */
  public String labelType(boolean polygons) {
    return this == SEGMENT && polygons ? "polygon" : labelType;
  }

  /**
   * The task Ultralytics names {@code id}; an export that names none is a detect model (Ultralytics' oldest exports).
   *
   * @throws IllegalArgumentException naming the tasks there are
   */
  public static YoloTask parse(String id) {
    if (id == null || id.isBlank()) {
      return DETECT;
    }
    for (YoloTask task : values()) {
      if (task.id().equals(id.trim())) {
        return task;
      }
    }
    throw new IllegalArgumentException("the model's config.txt has an unknown \"task\": '" + id + "' (Ultralytics"
        + " exports " + Arrays.stream(values()).map(YoloTask::id).collect(Collectors.joining(", ")) + ")");
  }
}
