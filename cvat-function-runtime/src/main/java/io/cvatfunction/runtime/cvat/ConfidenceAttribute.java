package io.cvatfunction.runtime.cvat;

import io.cvatfunction.runtime.CvatFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * A shape's score as a CVAT number attribute ({@link CvatFunction#confidenceAttribute()}): CVAT ignores a shape's
 * {@code confidence} field but keeps attribute values, and keeps a number attribute's value only when it is an
 * integer within the declared range, so the score goes as a whole percentage.
 */
public final class ConfidenceAttribute {

  /** The attribute's {@code values} in the label spec: min, max and step of a whole percentage. */
  public static final List<String> VALUES = List.of("0", "100", "1");

  private ConfidenceAttribute() {}

  /** {@code score} in [0, 1] as the attribute's value: a whole percentage, "0" to "100". */
  public static String value(float score) {
    return Integer.toString(Math.round(Math.max(0, Math.min(1, score)) * 100));
  }

  /**
   * The shape's attribute values with the score added under {@code name}; unchanged when {@code name} is empty or
   * the handler already set that attribute itself.
   */
  public static List<ShapeAttribute> append(List<ShapeAttribute> attributes, String name, float score) {
    if (name.isEmpty() || attributes.stream().anyMatch(a -> a.name().equals(name))) {
      return attributes;
    }
    List<ShapeAttribute> all = new ArrayList<>(attributes.size() + 1);
    all.addAll(attributes);
    all.add(new ShapeAttribute(name, value(score)));
    return all;
  }
}
