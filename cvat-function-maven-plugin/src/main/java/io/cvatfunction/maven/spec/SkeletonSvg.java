package io.cvatfunction.maven.spec;

import io.cvatfunction.contract.Skeleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The {@code svg} of a skeleton label: the drawing CVAT shows for the skeleton in its label editor and uses as the
 * template of each new skeleton, on CVAT's 100×100 canvas. One {@code line} an edge, then one {@code circle} a
 * keypoint; a circle's node and element ids are its sublabel's position, from 1, and its {@code data-label-name}
 * is the sublabel's name as it is (CVAT's server replaces that text with the sublabel's id when it stores the label,
 * so {@link Skeleton} refuses names that would need escaping).
 *
 * <p>The layout has to be readable where a person corrects the model: COCO's 17 keypoints stand as a person facing
 * the viewer (so the person's {@code left_*} points are on the drawing's right, as in a photo), any other skeleton
 * has its keypoints spread clockwise on a circle from the top, so no two share a spot. Coordinates have at most two
 * decimals, written the same in every locale, from {@link StrictMath}: the same skeleton gives the same bytes on
 * every machine, as the rest of the spec does.
 */
public final class SkeletonSvg {

  /** The side of CVAT's skeleton canvas. */
  static final double CANVAS = 100;

  private static final double RADIUS = 40;

  /** COCO's keypoints, in {@link Skeleton#COCO}'s order, on a person facing the viewer. */
  private static final double[][] PERSON = {
      {50, 12}, // nose
      {54, 9}, {46, 9}, // eyes: left, right
      {58, 11}, {42, 11}, // ears
      {62, 24}, {38, 24}, // shoulders
      {68, 40}, {32, 40}, // elbows
      {72, 55}, {28, 55}, // wrists
      {57, 55}, {43, 55}, // hips
      {58, 73}, {42, 73}, // knees
      {59, 91}, {41, 91}}; // ankles

  private SkeletonSvg() {}

  /** The svg of a skeleton, its circles in keypoint order. */
  public static String of(Skeleton skeleton) {
    double[][] at = layout(skeleton);
    StringBuilder svg = new StringBuilder();
    for (Skeleton.Edge edge : skeleton.edges()) {
      svg.append("<line x1=\"").append(number(at[edge.from()][0])).append("\" y1=\"").append(number(at[edge.from()][1]))
          .append("\" x2=\"").append(number(at[edge.to()][0])).append("\" y2=\"").append(number(at[edge.to()][1]))
          .append("\" stroke=\"black\" data-type=\"edge\" data-node-from=\"").append(edge.from() + 1)
          .append("\" data-node-to=\"").append(edge.to() + 1).append("\"></line>");
    }
    List<String> keypoints = skeleton.keypoints();
    for (int i = 0; i < keypoints.size(); i++) {
      svg.append("<circle r=\"1.5\" stroke=\"black\" fill=\"#b3b3b3\" cx=\"").append(number(at[i][0]))
          .append("\" cy=\"").append(number(at[i][1])).append("\" stroke-width=\"0.1\" data-type=\"element node\"")
          .append(" data-element-id=\"").append(i + 1).append("\" data-node-id=\"").append(i + 1)
          .append("\" data-label-name=\"").append(keypoints.get(i)).append("\"></circle>");
    }
    return svg.toString();
  }

  /** Where each keypoint is drawn, {@code {x, y}} on the canvas, in keypoint order. */
  static double[][] layout(Skeleton skeleton) {
    int n = skeleton.keypoints().size();
    if (skeleton.isCoco()) {
      return PERSON.clone();
    }
    double[][] at = new double[n][];
    if (n == 1) {
      at[0] = new double[] {CANVAS / 2, CANVAS / 2};
      return at;
    }
    for (int i = 0; i < n; i++) {
      double angle = 2 * StrictMath.PI * i / n;
      at[i] = new double[] {CANVAS / 2 + RADIUS * StrictMath.sin(angle), CANVAS / 2 - RADIUS * StrictMath.cos(angle)};
    }
    return at;
  }

  /** At most two decimals, no exponent, no trailing zeros, a '.' whatever the locale. */
  static String number(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }
}
