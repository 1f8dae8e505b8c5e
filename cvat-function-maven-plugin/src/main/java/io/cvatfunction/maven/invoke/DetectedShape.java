package io.cvatfunction.maven.invoke;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One shape of a CVAT detector answer, as far as showing it needs.
 *
 * @param label the label name
 * @param type {@code rectangle}, {@code polygon}, {@code mask}, {@code skeleton}, {@code tag}, ...
 * @param points the flat coordinates; {@code [xtl, ytl, xbr, ybr]} for a rectangle (before its rotation); empty for a
 *     skeleton and a tag
 * @param confidence the score, or null when the function gives none
 * @param maskBox for a {@code mask}: the box its {@code mask} array ends with, else null
 * @param rotation a rectangle's clockwise turn about its centre in degrees, or null when it has none
 * @param keypoints a skeleton's keypoints, in the answer's order; empty for other shapes
 */
public record DetectedShape(String label, String type, double[] points, Double confidence, double[] maskBox,
    Double rotation, List<Keypoint> keypoints) {

  /**
   * One keypoint of a skeleton: an element of type {@code points}.
   *
   * @param label its sublabel's name
   * @param x where it is
   * @param y where it is
   * @param outside whether the function marks it hidden (CVAT does not show it)
   */
  public record Keypoint(String label, double x, double y, boolean outside) {}

  /** Copies the keypoints, so the shape cannot change after it is read. */
  public DetectedShape {
    keypoints = List.copyOf(keypoints);
  }

  /**
   * The shape's box {@code [xtl, ytl, xbr, ybr]}: a rectangle's points (before its rotation), a mask's box, a
   * skeleton's visible keypoints' bounds (all its keypoints' when none is visible), else the points' bounds.
   */
  public double[] box() {
    if (type.equals("rectangle") && points.length >= 4) {
      return Arrays.copyOf(points, 4);
    }
    if (maskBox != null) {
      return maskBox.clone();
    }
    if (!keypoints.isEmpty()) {
      List<Keypoint> shown = visible().isEmpty() ? keypoints : visible();
      return bounds(shown.stream().flatMapToDouble(k -> Arrays.stream(new double[] {k.x(), k.y()})).toArray());
    }
    return bounds(points);
  }

  /** The bounds {@code [xmin, ymin, xmax, ymax]} of flat coordinates; zeros for none. */
  static double[] bounds(double[] xy) {
    if (xy.length < 2) {
      return new double[] {0, 0, 0, 0};
    }
    double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
    for (int i = 0; i + 1 < xy.length; i += 2) {
      box[0] = Math.min(box[0], xy[i]);
      box[1] = Math.min(box[1], xy[i + 1]);
      box[2] = Math.max(box[2], xy[i]);
      box[3] = Math.max(box[3], xy[i + 1]);
    }
    return box;
  }

  /** Whether it is drawn as a polygon through its points rather than as a box. */
  public boolean outlined() {
    return (type.equals("polygon") || type.equals("polyline")) && points.length >= 4;
  }

  /** Whether it is a rectangle turned about its centre. */
  public boolean rotated() {
    return type.equals("rectangle") && points.length >= 4 && rotation != null && rotation % 360 != 0;
  }

  /**
   * A rotated rectangle's corners, flat {@code [x1, y1, ..., x4, y4]}, clockwise from the top left before the turn:
   * its box turned by {@link #rotation()} degrees clockwise about the box's centre, as CVAT turns it (y grows down).
   */
  public double[] corners() {
    double[] box = box();
    double cx = (box[0] + box[2]) / 2;
    double cy = (box[1] + box[3]) / 2;
    double angle = Math.toRadians(rotation == null ? 0 : rotation);
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double[] unturned = {box[0], box[1], box[2], box[1], box[2], box[3], box[0], box[3]};
    double[] corners = new double[8];
    for (int i = 0; i < 8; i += 2) {
      double dx = unturned[i] - cx;
      double dy = unturned[i + 1] - cy;
      corners[i] = cx + dx * cos - dy * sin;
      corners[i + 1] = cy + dx * sin + dy * cos;
    }
    return corners;
  }

  /** Whether it is a tag: a label for the whole frame, with no place in it. */
  public boolean tag() {
    return type.equals("tag");
  }

  /** A skeleton's keypoints CVAT shows (not {@code outside}). */
  public List<Keypoint> visible() {
    return keypoints.stream().filter(k -> !k.outside()).toList();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DetectedShape s && label.equals(s.label) && type.equals(s.type)
        && Arrays.equals(points, s.points) && Objects.equals(confidence, s.confidence)
        && Arrays.equals(maskBox, s.maskBox) && Objects.equals(rotation, s.rotation) && keypoints.equals(s.keypoints);
  }

  @Override
  public int hashCode() {
    return Objects.hash(label, type, Arrays.hashCode(points), confidence, Arrays.hashCode(maskBox), rotation,
        keypoints);
  }

  @Override
  public String toString() {
    return label + " " + type + " " + (keypoints.isEmpty() ? Arrays.toString(points) : keypoints.toString())
        + (rotation == null ? "" : " rotated " + rotation) + (confidence == null ? "" : " " + confidence);
  }
}
