package io.cvatfunction.runtime.yolo;

import java.util.List;

/**
 * What a model found in a frame, in frame pixels: one record per task, as Ultralytics' {@code Results} has boxes,
 * masks, keypoints, oriented boxes or class probabilities. {@link YoloDetector#attributes} receives them; match on
 * the type to read what a task gives.
 */
public sealed interface Detection {

  /** The model's class id. */
  int classId();

  /** The model's class name. */
  String label();

  /** The confidence. */
  float score();

  /**
   * A box of a detect model.
   *
   * @param x1 left
   * @param y1 top
   * @param x2 right
   * @param y2 bottom
   */
  record Box(int classId, String label, float score, float x1, float y1, float x2, float y2) implements Detection {}

  /**
   * An instance of a segment model: its box and its mask.
   *
   * @param x1 the box's left
   * @param y1 the box's top
   * @param x2 the box's right
   * @param y2 the box's bottom
   * @param mask the instance's mask and outline
   */
  record Segment(int classId, String label, float score, float x1, float y1, float x2, float y2, InstanceMask mask)
      implements Detection {}

  /**
   * An object of a pose model: its box and its keypoints.
   *
   * @param x1 the box's left
   * @param y1 the box's top
   * @param x2 the box's right
   * @param y2 the box's bottom
   * @param keypoints one per keypoint of the model, in its order
   */
  record Pose(int classId, String label, float score, float x1, float y1, float x2, float y2, List<Keypoint> keypoints)
      implements Detection {}

  /**
   * One keypoint of a {@link Pose}, on the frame (clipped to it, as Ultralytics clips).
   *
   * @param x the position's x
   * @param y the position's y
   * @param confidence the model's visibility score, 1 for a model without one ({@code kpt_shape [n, 2]})
   */
  record Keypoint(float x, float y, float confidence) {}

  /**
   * A rotated box of an OBB model, as Ultralytics' {@code obb.xywhr}.
   *
   * @param cx the centre's x
   * @param cy the centre's y
   * @param width the side along the angle
   * @param height the other side
   * @param angle radians in [0, π/2), clockwise on the frame (y points down)
   */
  record OrientedBox(int classId, String label, float score, float cx, float cy, float width, float height,
      float angle) implements Detection {}

  /** The class of the whole frame, from a classify model: its most probable class and its probability. */
  record Classification(int classId, String label, float score) implements Detection {}
}
