package io.cvatfunction.runtime.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.cvat.LabelSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The function's labels matched with a task's, as CVAT's own auto-annotation driver matches them: labels by name,
 * a skeleton's sublabels by name inside it, attributes by name; a function label's type must be the task label's
 * (or either is {@code any}; a mask counts as a polygon when masks are converted), an attribute's input type and
 * values the task attribute's. Whatever does not match is an error listing all of it and what the task has, unless
 * unmatched labels are allowed: then shapes, keypoints and values using them are dropped. The function's confidence
 * attribute maps only when the task has it.
 */
public final class LabelMapping {

  /**
   * A function label matched to a task label.
   *
   * @param sublabels a skeleton's keypoints, each under the id of the task's sublabel: every one of the task's
   */
  record Mapped(int id, String type, Map<String, Integer> attributes, Map<String, Integer> sublabels) {}

  private final Map<String, Mapped> byName;
  private final List<String> dropped;
  private final boolean convertMasks;

  private LabelMapping(Map<String, Mapped> byName, List<String> dropped, boolean convertMasks) {
    this.byName = byName;
    this.dropped = List.copyOf(dropped);
    this.convertMasks = convertMasks;
  }

  /**
   * Matches the function's labels with the task's.
   *
   * @param function the labels the function answers with
   * @param task the task's labels as CVAT lists them ({@code /api/labels?task_id=})
   * @param confidenceAttribute the function's confidence attribute, which maps only where the task has it; empty
   *     for none
   * @param allowUnmatched whether what does not match is dropped rather than an error
   * @param convertMasks whether masks are uploaded as polygons
   * @throws CvatException listing every mismatch and the task's labels
   */
  public static LabelMapping match(List<LabelSpec> function, List<JsonNode> task, String confidenceAttribute,
      boolean allowUnmatched, boolean convertMasks) throws CvatException {
    Map<String, JsonNode> taskLabels = new LinkedHashMap<>();
    task.forEach(label -> taskLabels.putIfAbsent(label.path("name").asText(), label));
    List<String> problems = new ArrayList<>();
    List<String> unmatched = new ArrayList<>();
    Map<String, Mapped> mapped = new LinkedHashMap<>();
    for (LabelSpec label : function) {
      if (mapped.containsKey(label.name())) {
        continue; // two model classes under one CVAT name
      }
      JsonNode target = taskLabels.get(label.name());
      if (target == null) {
        unmatched.add("label '" + label.name() + "'");
        continue;
      }
      String functionType = convertMasks && label.type().equals("mask") ? "polygon" : label.type();
      String taskType = target.path("type").asText("any");
      if (!functionType.equals("any") && !taskType.equals("any") && !functionType.equals(taskType)) {
        problems.add("label '" + label.name() + "' is a " + functionType + " label of the function but a " + taskType
            + " label of the task" + (label.type().equals("mask") && taskType.equals("polygon")
                ? " (-Dcvat.annotate.convMaskToPoly / --conv-mask-to-poly uploads masks as polygons)" : ""));
        continue;
      }
      Map<String, Integer> attributes = attributes(label, target, confidenceAttribute, problems, unmatched);
      Map<String, Integer> sublabels = new LinkedHashMap<>();
      if (!label.sublabels().isEmpty() || target.path("sublabels").size() > 0) {
        Map<String, Integer> targetSublabels = new LinkedHashMap<>();
        target.path("sublabels").forEach(s -> targetSublabels.put(s.path("name").asText(), s.path("id").asInt()));
        for (String sublabel : label.sublabels()) {
          Integer id = targetSublabels.get(sublabel);
          if (id == null) {
            unmatched.add("sublabel '" + sublabel + "' of '" + label.name() + "'");
          } else {
            sublabels.put(sublabel, id);
          }
        }
        Set<String> missing = new TreeSet<>(targetSublabels.keySet());
        missing.removeAll(label.sublabels());
        if (!missing.isEmpty()) {
          problems.add("skeleton '" + label.name() + "' of the task has sublabels " + missing
              + " that the function does not return; CVAT needs every keypoint of a skeleton");
        }
      }
      mapped.put(label.name(), new Mapped(target.path("id").asInt(), functionType, attributes, sublabels));
    }
    if (!problems.isEmpty() || (!unmatched.isEmpty() && !allowUnmatched)) {
      List<String> all = new ArrayList<>(problems);
      if (!unmatched.isEmpty()) {
        all.add("the task has no " + String.join(", ", unmatched)
            + " (-Dcvat.annotate.allowUnmatchedLabels / --allow-unmatched-labels drops them)");
      }
      throw new CvatException("the function's labels do not fit the task's: " + String.join("; ", all)
          + ". The task has: " + describe(task));
    }
    return new LabelMapping(mapped, unmatched, convertMasks);
  }

  private static Map<String, Integer> attributes(LabelSpec label, JsonNode target, String confidenceAttribute,
      List<String> problems, List<String> unmatched) {
    Map<String, JsonNode> targetAttributes = new LinkedHashMap<>();
    target.path("attributes").forEach(a -> targetAttributes.put(a.path("name").asText(), a));
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (LabelSpec.AttributeSpec attribute : label.attributes()) {
      JsonNode found = targetAttributes.get(attribute.name());
      if (found == null) {
        if (!attribute.name().equals(confidenceAttribute)) {
          unmatched.add("attribute '" + attribute.name() + "' of '" + label.name() + "'");
        }
        continue;
      }
      String inputType = found.path("input_type").asText();
      List<String> values = new ArrayList<>();
      found.path("values").forEach(v -> values.add(v.asText()));
      Optional<String> mismatch = Optional.empty();
      if (!inputType.equals(attribute.inputType())) {
        mismatch = Optional.of("is " + attribute.inputType() + " in the function but " + inputType + " in the task");
      } else if ((inputType.equals("select") || inputType.equals("radio"))
          && !new HashSet<>(values).equals(new HashSet<>(attribute.values()))) {
        mismatch = Optional.of("has the values " + attribute.values() + " in the function but " + values
            + " in the task");
      } else if (inputType.equals("number") && !values.equals(attribute.values())) {
        mismatch = Optional.of("has min;max;step " + String.join(";", attribute.values()) + " in the function but "
            + String.join(";", values) + " in the task");
      }
      if (mismatch.isPresent()) {
        problems.add("attribute '" + attribute.name() + "' of '" + label.name() + "' " + mismatch.get());
      } else {
        ids.put(attribute.name(), found.path("id").asInt());
      }
    }
    return ids;
  }

  /** The task's labels, for messages: {@code name (type; sublabels ...; attributes ...)}. */
  static String describe(List<JsonNode> task) {
    if (task.isEmpty()) {
      return "no labels (add the function's labels to the task or its project)";
    }
    List<String> labels = new ArrayList<>();
    for (JsonNode label : task) {
      List<String> parts = new ArrayList<>();
      parts.add(label.path("type").asText("any"));
      List<String> sublabels = new ArrayList<>();
      label.path("sublabels").forEach(s -> sublabels.add(s.path("name").asText()));
      if (!sublabels.isEmpty()) {
        parts.add("sublabels " + sublabels);
      }
      List<String> attributes = new ArrayList<>();
      label.path("attributes").forEach(a -> attributes.add(a.path("name").asText() + ":" + a.path("input_type").asText()));
      if (!attributes.isEmpty()) {
        parts.add("attributes " + attributes);
      }
      labels.add("'" + label.path("name").asText() + "' (" + String.join("; ", parts) + ")");
    }
    return String.join(", ", labels);
  }

  /** The task label of a function label, if it maps. */
  Optional<Mapped> label(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Whether masks are uploaded as polygons. */
  boolean convertsMasks() {
    return convertMasks;
  }

  /** What was left unmatched and is dropped (only when allowed). */
  public List<String> dropped() {
    return dropped;
  }
}
