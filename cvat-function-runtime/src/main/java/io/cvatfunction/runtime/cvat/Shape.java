package io.cvatfunction.runtime.cvat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;

/**
 * One shape (or tag) of a CVAT detector response. Fields a shape type does not use are left out of the JSON.
 *
 * @param label the CVAT label name (a label of the function's spec; for a skeleton's element, a sublabel's)
 * @param type {@code rectangle}, {@code polygon}, {@code mask}, {@code skeleton}, {@code points}, {@code tag}
 * @param points flat coordinates in frame pixels; {@code [xtl, ytl, xbr, ybr]} for a rectangle, {@code [x, y]} for a
 *     skeleton's element; empty for a skeleton and a tag
 * @param rotation a rectangle's clockwise rotation about its centre, in degrees; null when it has none
 * @param confidence the model's score, or null
 * @param attributes attribute values, possibly empty
 * @param elements a skeleton's keypoints, each a {@code points} shape of one point; null for other types
 * @param outside for a skeleton's element: whether the keypoint is hidden (not visible); null for other shapes
 * @param mask for {@code mask} shapes: the 0/1 crop of the box, row-major, then {@code [xtl, ytl, xbr, ybr]}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"label", "type", "points", "rotation", "outside", "confidence", "attributes", "elements", "mask"})
public record Shape(
    String label,
    String type,
    float[] points,
    Float rotation,
    Float confidence,
    List<ShapeAttribute> attributes,
    List<Shape> elements,
    Boolean outside,
    @JsonSerialize(using = MaskSerializer.class) int[] mask) {

  private static final float[] NO_POINTS = {};

  /** A mask: the 0/1 crop with its bounds ({@code mask}) and the outline ({@code points}). */
  public static Shape mask(String label, float[] polygon, int[] mask, float confidence, List<ShapeAttribute> attributes) {
    return new Shape(label, "mask", polygon, null, confidence, attributes, null, null, mask);
  }

  /** A polygon {@code [x1, y1, x2, y2, ...]}. */
  public static Shape polygon(String label, float[] polygon, float confidence, List<ShapeAttribute> attributes) {
    return new Shape(label, "polygon", polygon, null, confidence, attributes, null, null, null);
  }

  /** A rectangle {@code [xtl, ytl, xbr, ybr]} with a confidence and attribute values. */
  public static Shape rectangle(
      String label, float xtl, float ytl, float xbr, float ybr, float confidence, List<ShapeAttribute> attributes) {
    return new Shape(label, "rectangle", new float[] {xtl, ytl, xbr, ybr}, null, confidence, attributes, null, null,
        null);
  }

  /**
   * A rectangle turned about its centre: {@code [xtl, ytl, xbr, ybr]} is the box before the turn, {@code degrees}
   * clockwise (CVAT's convention).
   */
  public static Shape rotatedRectangle(String label, float xtl, float ytl, float xbr, float ybr, float degrees,
      float confidence, List<ShapeAttribute> attributes) {
    return new Shape(label, "rectangle", new float[] {xtl, ytl, xbr, ybr}, degrees, confidence, attributes, null,
        null, null);
  }

  /** A skeleton: its keypoints as {@link #keypoint} elements, one per sublabel of its label. */
  public static Shape skeleton(String label, List<Shape> elements, float confidence, List<ShapeAttribute> attributes) {
    return new Shape(label, "skeleton", NO_POINTS, null, confidence, attributes, List.copyOf(elements), null, null);
  }

  /** One keypoint of a skeleton: its sublabel, its position, and whether it is hidden. */
  public static Shape keypoint(String sublabel, float x, float y, boolean outside) {
    return new Shape(sublabel, "points", new float[] {x, y}, null, null, null, null, outside, null);
  }

  /** A tag: a label for the whole frame. */
  public static Shape tag(String label, float confidence, List<ShapeAttribute> attributes) {
    return new Shape(label, "tag", NO_POINTS, null, confidence, attributes, null, null, null);
  }
}
