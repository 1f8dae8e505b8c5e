package io.cvatfunction.maven.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.contract.LabelRename;
import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.contract.Skeleton;
import io.cvatfunction.contract.YoloTask;
import io.cvatfunction.maven.scan.FunctionDescriptor;
import io.cvatfunction.maven.scan.FunctionDescriptor.AttributeSpec;
import io.cvatfunction.maven.scan.FunctionDescriptor.LabelOverride;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a Nuclio function config (as CVAT expects it) from a function's annotation and its model's labels,
 * as ordered maps ready for {@link SpecYaml}. Deploys use a prebuilt image, so there is no
 * {@code spec.build} and no {@code spec.image}: {@code cvat:deploy} passes the image.
 */
public final class FunctionSpec {

  /** The http trigger's key, as in CVAT's own YAMLs. */
  public static final String TRIGGER = "myHttpTrigger";

  /**
   * The confidence attribute's min, max and step: the runtime returns the score as a whole percentage
   * ({@code io.cvatfunction.runtime.cvat.ConfidenceAttribute}), as CVAT keeps only integer number attributes.
   */
  static final List<String> CONFIDENCE_VALUES = List.of("0", "100", "1");

  /** The type of a skeleton's sublabels: CVAT's skeletons are made of points. */
  static final String KEYPOINT_TYPE = "points";

  private static final ObjectMapper JSON = new ObjectMapper();

  private FunctionSpec() {}

  /**
   * The function config.
   *
   * @param skeletons a pose model's skeleton of each class id ({@link io.cvatfunction.contract.Skeletons}); empty
   *     for other tasks
   * @param namespace {@code metadata.namespace}
   * @param gpu whether to ask for {@code nvidia.com/gpu} (the {@code function-gpu.yaml} variant)
   * @throws IllegalArgumentException when the annotation's labels do not fit the model
   */
  public static Map<String, Object> build(FunctionDescriptor function, ModelMetadata model, List<Skeleton> skeletons,
      String namespace, boolean gpu) {
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put("name", function.displayName().isEmpty() ? function.name() : function.displayName());
    annotations.put("type", function.kind());
    annotations.put("framework", "pytorch");
    annotations.put("spec", labelSpec(function, model, skeletons));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", function.name());
    metadata.put("namespace", namespace);
    metadata.put("annotations", annotations);

    Map<String, Object> trigger = new LinkedHashMap<>();
    trigger.put("kind", "http");
    trigger.put("numWorkers", function.workers());
    trigger.put("workerAvailabilityTimeoutMilliseconds", function.workerAvailabilityTimeoutMillis());
    trigger.put("attributes", Map.of("maxRequestBodySize", function.maxRequestBodySize()));

    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("description", function.description());
    spec.put("runtime", "java");
    spec.put("handler", function.className());
    spec.put("eventTimeout", function.eventTimeout());
    if (!function.env().isEmpty()) {
      List<Map<String, String>> env = new ArrayList<>();
      function.env().forEach((name, value) -> env.add(entry(name, value)));
      spec.put("env", env);
    }
    spec.put("triggers", Map.of(TRIGGER, trigger));
    if (gpu) {
      spec.put("resources", Map.of("limits", Map.of("nvidia.com/gpu", function.gpus())));
    }
    Map<String, Object> restart = new LinkedHashMap<>();
    restart.put("name", "always");
    restart.put("maximumRetryCount", 3);
    spec.put("platform", Map.of("attributes", Map.of("restartPolicy", restart)));

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("metadata", metadata);
    root.put("spec", spec);
    return root;
  }

  private static Map<String, String> entry(String name, String value) {
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put("name", name);
    entry.put("value", value);
    return entry;
  }

  /**
   * The label list CVAT reads from {@code annotations.spec}: JSON, one label per line, each of the type the model's
   * task gives; a skeleton label also lists its keypoints as {@code points} sublabels and has CVAT's drawing of
   * them ({@link SkeletonSvg}).
   */
  static String labelSpec(FunctionDescriptor function, ModelMetadata model, List<Skeleton> skeletons) {
    Set<String> unknown = new TreeSet<>();
    for (LabelOverride override : function.labels()) {
      if (!model.names().contains(override.model())) {
        unknown.add(override.model());
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("@CvatFunction(labels) of " + function.className() + " names " + unknown
          + ", which the model does not have; its labels are " + model.names());
    }
    String type = model.task().labelType("polygon".equals(function.segments()));
    List<String> lines = new ArrayList<>();
    for (int id = 0; id < model.names().size(); id++) {
      String modelName = model.names().get(id);
      LabelOverride override = function.labels().stream()
          .filter(l -> l.model().equals(modelName)).findFirst().orElse(null);
      Optional<String> name = override == null
          ? Optional.of(modelName)
          : LabelRename.cvatName(modelName, override.name(), override.drop());
      if (name.isEmpty()) {
        continue;
      }
      Map<String, Object> label = new LinkedHashMap<>();
      label.put("id", id);
      label.put("name", name.get());
      label.put("type", type);
      List<AttributeSpec> attributes = new ArrayList<>(override == null ? List.of() : override.attributes());
      if (!function.confidenceAttribute().isEmpty()) {
        if (attributes.stream().anyMatch(a -> a.name().equals(function.confidenceAttribute()))) {
          throw new IllegalArgumentException("@Label(model = \"" + modelName + "\") of " + function.className()
              + " declares attribute '" + function.confidenceAttribute() + "', the name of "
              + "@CvatFunction(confidenceAttribute) too: rename one");
        }
        attributes.add(new AttributeSpec(function.confidenceAttribute(), "number", CONFIDENCE_VALUES, ""));
      }
      if (!attributes.isEmpty()) {
        label.put("attributes", attributes.stream().map(FunctionSpec::attribute).toList());
      }
      if (model.task() == YoloTask.POSE) {
        Skeleton skeleton = skeletons.get(id);
        List<Map<String, Object>> sublabels = new ArrayList<>();
        for (int k = 0; k < skeleton.keypoints().size(); k++) {
          Map<String, Object> sublabel = new LinkedHashMap<>();
          sublabel.put("id", k);
          sublabel.put("name", skeleton.keypoints().get(k));
          sublabel.put("type", KEYPOINT_TYPE);
          sublabels.add(sublabel);
        }
        label.put("sublabels", sublabels);
        label.put("svg", SkeletonSvg.of(skeleton));
      }
      lines.add("  " + json(label));
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("@CvatFunction(labels) of " + function.className()
          + " drops every label of the model: keep at least one");
    }
    return "[\n" + String.join(",\n", lines) + "\n]\n";
  }

  private static Map<String, Object> attribute(AttributeSpec attribute) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", attribute.name());
    out.put("input_type", attribute.inputType());
    out.put("values", attribute.values());
    String defaultValue = attribute.defaultValue().isEmpty() && !attribute.values().isEmpty()
        ? attribute.values().get(0) : attribute.defaultValue();
    if (!defaultValue.isEmpty()) {
      out.put("default_value", defaultValue);
    }
    return out;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
