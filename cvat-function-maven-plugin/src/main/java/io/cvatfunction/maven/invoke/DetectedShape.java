package io.cvatfunction.maven.invoke;

import java.util.Arrays;

/**
 * One shape of a CVAT detector answer, as far as showing it needs.
 *
 * @param label the label name
 * @param type {@code rectangle}, {@code polygon}, {@code mask}, ...
 * @param points the flat coordinates; {@code [xtl, ytl, xbr, ybr]} for a rectangle
 * @param confidence the score, or null when the function gives none
 * @param maskBox for a {@code mask}: the box its {@code mask} array ends with, else null
 */
public record DetectedShape(String label, String type, double[] points, Double confidence, double[] maskBox) {

  /** The shape's box {@code [xtl, ytl, xbr, ybr]}: a rectangle's points, a mask's box, else the points' bounds. */
  public double[] box() {
    if (type.equals("rectangle") && points.length >= 4) {
      return Arrays.copyOf(points, 4);
    }
    if (maskBox != null) {
      return maskBox.clone();
    }
    double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
    for (int i = 0; i + 1 < points.length; i += 2) {
      box[0] = Math.min(box[0], points[i]);
      box[1] = Math.min(box[1], points[i + 1]);
      box[2] = Math.max(box[2], points[i]);
      box[3] = Math.max(box[3], points[i + 1]);
    }
    return points.length >= 2 ? box : new double[] {0, 0, 0, 0};
  }

  /** Whether it is drawn as a polygon through its points rather than as a box. */
  public boolean outlined() {
    return (type.equals("polygon") || type.equals("polyline")) && points.length >= 4;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DetectedShape s && label.equals(s.label) && type.equals(s.type)
        && Arrays.equals(points, s.points) && java.util.Objects.equals(confidence, s.confidence)
        && Arrays.equals(maskBox, s.maskBox);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(label, type, Arrays.hashCode(points), confidence, Arrays.hashCode(maskBox));
  }

  @Override
  public String toString() {
    return label + " " + type + " " + Arrays.toString(points) + (confidence == null ? "" : " " + confidence);
  }
}
