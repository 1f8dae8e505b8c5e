package io.cvatfunction.maven.scan;

import java.util.List;
import java.util.Map;

/**
 * A {@code @CvatFunction} as read from bytecode: the handler class and every annotation member, defaults
 * filled in from the runtime's annotation class.
 *
 * @param className the handler class
 * @param name the Nuclio function id
 * @param displayName the name CVAT shows (the id when empty)
 * @param description what CVAT shows under the name
 * @param kind the CVAT kind ({@code metadata.annotations.type}, e.g. {@code detector}): the one whose runtime
 *     interface the class implements ({@link io.cvatfunction.contract.FunctionKind}), never a declaration
 * @param model the model reference ({@code classpath:...} or a path)
 * @param labels label overrides
 * @param gpus GPUs asked for
 * @param workers requests served at once
 * @param eventTimeout a Go duration
 * @param workerAvailabilityTimeoutMillis wait for a worker before 503
 * @param maxRequestBodySize bytes
 * @param env environment variables, in declaration order
 * @param segments how segment models' instances reach CVAT: {@code mask} or {@code polygon}
 * @param confidenceAttribute the number attribute every label gets for the shape's score, or empty for none
 * @param keypoints a pose model's keypoint names ({@code @CvatFunction(keypoints)}), empty when not given
 * @param edges the lines between a pose model's keypoints, each {@code "a - b"}, empty when not given
 * @param keypointThreshold the confidence under which a keypoint is answered {@code outside}
 */
public record FunctionDescriptor(
    String className,
    String name,
    String displayName,
    String description,
    String kind,
    String model,
    List<LabelOverride> labels,
    int gpus,
    int workers,
    String eventTimeout,
    long workerAvailabilityTimeoutMillis,
    long maxRequestBodySize,
    Map<String, String> env,
    String segments,
    String confidenceAttribute,
    List<String> keypoints,
    List<String> edges,
    float keypointThreshold) {

  /**
   * A {@code @Label}: renames, drops or adds attributes to one model label.
   *
   * @param model the model's label name
   * @param name the CVAT name (the model's when empty)
   * @param drop whether the label is left out
   * @param attributes CVAT attributes
   */
  public record LabelOverride(String model, String name, boolean drop, List<AttributeSpec> attributes) {}

  /**
   * A {@code @Attribute}.
   *
   * @param name the attribute's name
   * @param inputType CVAT's input type ({@code select}, {@code radio}, {@code checkbox}, {@code number}, {@code text})
   * @param values the allowed values
   * @param defaultValue the default (the first value when empty)
   */
  public record AttributeSpec(String name, String inputType, List<String> values, String defaultValue) {}
}
