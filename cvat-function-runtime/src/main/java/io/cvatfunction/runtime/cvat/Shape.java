package io.cvatfunction.runtime.cvat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;

/**
 * One shape of a CVAT detector response.
 *
 * @param label the CVAT label name (a label of the function's spec)
 * @param type {@code rectangle}, {@code polygon}, {@code mask}, ...
 * @param points flat coordinates in frame pixels; {@code [xtl, ytl, xbr, ybr]} for a rectangle
 * @param confidence the model's score, or null
 * @param attributes attribute values, possibly empty
 * @param mask for {@code mask} shapes: the 0/1 crop of the box, row-major, then {@code [xtl, ytl, xbr, ybr]}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"label", "type", "points", "confidence", "attributes", "mask"})
public record Shape(
    String label,
    String type,
    float[] points,
    Float confidence,
    List<ShapeAttribute> attributes,
    @JsonSerialize(using = MaskSerializer.class) int[] mask) {

  /** A mask: the 0/1 crop with its bounds ({@code mask}) and the outline ({@code points}). */
  public static Shape mask(String label, float[] polygon, int[] mask, float confidence, List<ShapeAttribute> attributes) {
    return new Shape(label, "mask", polygon, confidence, attributes, mask);
  }

  /** A polygon {@code [x1, y1, x2, y2, ...]}. */
  public static Shape polygon(String label, float[] polygon, float confidence, List<ShapeAttribute> attributes) {
    return new Shape(label, "polygon", polygon, confidence, attributes, null);
  }

  /** A rectangle {@code [xtl, ytl, xbr, ybr]} with a confidence and attribute values. */
  public static Shape rectangle(
      String label, float xtl, float ytl, float xbr, float ybr, float confidence, List<ShapeAttribute> attributes) {
    return new Shape(label, "rectangle", new float[] {xtl, ytl, xbr, ybr}, confidence, attributes, null);
  }
}
