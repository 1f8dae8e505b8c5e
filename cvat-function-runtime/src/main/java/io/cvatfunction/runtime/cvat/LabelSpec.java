package io.cvatfunction.runtime.cvat;

import java.util.List;

/**
 * One label a function answers with, as {@code cvat:spec} declares it to CVAT: what {@code cvat:annotate} matches
 * against a task's labels by name, type and attributes before it runs a frame.
 *
 * @param name the CVAT label name the shapes carry
 * @param type the CVAT label type: {@code rectangle}, {@code mask}, {@code polygon}, {@code skeleton}, {@code tag}
 * @param attributes the attributes its shapes may carry values for
 * @param sublabels a skeleton's keypoint names (each a {@code points} sublabel); empty for other types
 */
public record LabelSpec(String name, String type, List<AttributeSpec> attributes, List<String> sublabels) {

  /** Copies the lists. */
  public LabelSpec {
    attributes = List.copyOf(attributes);
    sublabels = List.copyOf(sublabels);
  }

  /**
   * One attribute of a label.
   *
   * @param name its name
   * @param inputType CVAT's {@code input_type}: {@code select}, {@code radio}, {@code checkbox}, {@code number},
   *     {@code text}
   * @param values its allowed values (for {@code number}: min, max and step)
   */
  public record AttributeSpec(String name, String inputType, List<String> values) {

    /** Copies the values. */
    public AttributeSpec {
      values = List.copyOf(values);
    }
  }
}
