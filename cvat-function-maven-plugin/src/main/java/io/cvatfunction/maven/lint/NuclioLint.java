package io.cvatfunction.maven.lint;

import static io.cvatfunction.maven.lint.YamlTree.get;
import static io.cvatfunction.maven.lint.YamlTree.line;
import static io.cvatfunction.maven.lint.YamlTree.path;
import static io.cvatfunction.maven.lint.YamlTree.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.contract.GoDuration;
import io.cvatfunction.maven.lint.Finding.Severity;
import io.cvatfunction.maven.nuclio.NuclioNames;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Checks a Nuclio function YAML for what makes Nuclio put the function in {@code error} or makes CVAT's
 * Models tab fail: the rules of Nuclio's validation and of CVAT's lambda manager. CVAT's own function YAMLs
 * pass without errors.
 */
public final class NuclioLint {

  /** The rule that warns about a function name only the local platform takes. */
  public static final String NAME_KUBE = "name-kube";

  // Go's time.ParseDuration: µ (the micro sign) and μ (Greek mu) both mean micro.
  private static final Set<String> RESERVED = Set.of("dashboard", "controller", "dlx", "scaler");
  private static final Set<String> KINDS = Set.of("detector", "interactor", "tracker", "reid");
  private static final Set<String> LABEL_TYPES = Set.of("any", "unknown", "rectangle", "polygon", "polyline",
      "points", "ellipse", "cuboid", "mask", "skeleton", "tag");
  private static final Set<String> INPUT_TYPES = Set.of("select", "radio", "checkbox", "number", "text");
  private static final long NUCLIO_DEFAULT_BODY = 4L * 1024 * 1024;
  private static final String SKELETON = "skeleton";
  private static final String KEYPOINT_TYPE = "points";

  private final String file;
  private final List<Finding> findings = new ArrayList<>();

  private NuclioLint(String file) {
    this.file = file;
  }

  /**
   * Lints one YAML document.
   *
   * @param file the file's name as it should appear in messages ({@code function-gpu} in it enables the GPU rule)
   */
  public static List<Finding> lint(String file, String yaml) {
    NuclioLint lint = new NuclioLint(file);
    lint.run(yaml);
    return List.copyOf(lint.findings);
  }

  private void error(String rule, int line, String field, String message) {
    findings.add(new Finding(Severity.ERROR, rule, file, line, field, message));
  }

  private void warn(String rule, int line, String field, String message) {
    findings.add(new Finding(Severity.WARNING, rule, file, line, field, message));
  }

  private void run(String yaml) {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      error("yaml-syntax", e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1, "(file)",
          "not valid YAML: " + e.getProblem() + "; fix the syntax");
      return;
    } catch (YAMLException e) {
      error("yaml-syntax", 1, "(file)", "not valid YAML: " + e.getMessage());
      return;
    }
    if (!(root instanceof MappingNode)) {
      error("yaml-syntax", root == null ? 1 : line(root), "(file)",
          "a function config is a mapping with metadata and spec; this file holds none");
      return;
    }
    duplicateKeys(root, "");
    Node metadata = get(root, "metadata").orElse(root);
    Node spec = get(root, "spec").orElse(root);
    name(root, metadata);
    annotations(metadata);
    runtime(spec);
    triggers(spec);
    resources(spec);
    image(spec);
    comments(root, "");
  }

  private void duplicateKeys(Node node, String field) {
    if (node instanceof MappingNode mapping) {
      Set<String> seen = new HashSet<>();
      for (NodeTuple tuple : mapping.getValue()) {
        String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
        if (!seen.add(key)) {
          error("duplicate-key", line(tuple.getKeyNode()), join(field, key),
              "the key appears twice; Nuclio keeps only one of them: remove the other");
        }
        duplicateKeys(tuple.getValueNode(), join(field, key));
      }
    } else if (node instanceof SequenceNode sequence) {
      sequence.getValue().forEach(item -> duplicateKeys(item, field + "[]"));
    }
  }

  private void name(Node root, Node metadata) {
    Optional<Node> nameNode = get(metadata, "name");
    Optional<String> name = text(nameNode);
    int line = nameNode.map(YamlTree::line).orElse(line(metadata));
    if (name.isEmpty() || name.get().isBlank()) {
      error("name-missing", line, "metadata.name", "every function needs a name: set metadata.name, e.g. my-detector");
      return;
    }
    String value = name.get();
    if (value.contains("#")) {
      error("name-comment", line, "metadata.name", "'" + value + "' holds a '#': YAML took the comment into the "
          + "name, which puts the function in error; put a space before '#' and keep comments outside quotes");
    } else {
      Optional<String> refused = NuclioNames.refusedByNuclio(value);
      refused.ifPresent(problem -> error(NuclioNames.hasQualifiedForm(value) ? "name-length" : "name-format", line,
          "metadata.name", problem));
      if (refused.isEmpty()) {
        NuclioNames.refusedByKubernetes(value).ifPresent(problem -> warn(NAME_KUBE, line, "metadata.name", problem));
      }
    }
    if (RESERVED.contains(value)) {
      error("name-reserved", line, "metadata.name", "'" + value + "' is reserved by Nuclio: choose another name");
    }
  }

  private void annotations(Node metadata) {
    Optional<Node> annotations = get(metadata, "annotations");
    int line = annotations.map(YamlTree::line).orElse(line(metadata));
    Optional<Node> typeNode = annotations.flatMap(a -> get(a, "type"));
    Optional<String> type = text(typeNode);
    if (type.isEmpty() || !KINDS.contains(type.get())) {
      error("annotation-type", typeNode.map(YamlTree::line).orElse(line), "metadata.annotations.type",
          (type.isEmpty() ? "missing" : "'" + type.get() + "' is unknown") + ": CVAT skips the function; use one of "
              + "detector, interactor, tracker, reid");
    }
    Optional<Node> specNode = annotations.flatMap(a -> get(a, "spec"));
    Optional<String> spec = text(specNode).filter(s -> !s.isBlank());
    if (spec.isEmpty()) {
      if (type.filter("detector"::equals).isPresent()) {
        warn("labels-empty", specNode.map(YamlTree::line).orElse(line), "metadata.annotations.spec",
            "a detector without labels cannot be mapped to task labels: list them as JSON");
      }
      return;
    }
    labels(spec.get(), line(specNode.get()));
  }

  private void labels(String json, int line) {
    String field = "metadata.annotations.spec";
    JsonNode labels;
    try {
      labels = new ObjectMapper().readTree(json);
    } catch (Exception e) {
      error("spec-json", line, field, "not valid JSON, which breaks CVAT's whole model list: "
          + e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    if (!labels.isArray()) {
      error("spec-json", line, field, "must be a JSON list of labels, e.g. [{\"id\": 0, \"name\": \"car\", \"type\": \"rectangle\"}]");
      return;
    }
    labelList(labels, line, field);
  }

  private void labelList(JsonNode labels, int line, String field) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < labels.size(); i++) {
      JsonNode label = labels.get(i);
      String at = field + "[" + i + "]";
      uniqueName("label", label, names, line, at, "label-name", "; CVAT skips the function");
      String type = label.path("type").asText("any");
      if (!LABEL_TYPES.contains(type)) {
        error("label-type", line, at, "type '" + type + "' is unknown to CVAT; use one of " + new java.util.TreeSet<>(LABEL_TYPES));
      }
      attributes(label.path("attributes"), line, at);
      if (type.equals("skeleton")) {
        if (!label.has("svg") || !label.path("sublabels").isArray()) {
          error(SKELETON, line, at, "a skeleton label needs \"sublabels\" (a list) and \"svg\"; without them CVAT's "
              + "model list fails");
        } else {
          labelList(label.get("sublabels"), line, at + ".sublabels");
          skeleton(label, line, at);
        }
      }
    }
  }

  /**
   * Checks a skeleton's sublabels against its drawing. CVAT's skeletons are made of points: its default mapping pairs
   * a function's sublabel with a task's only when their types are compatible, and a task's sublabels are always
   * {@code points}, so the keypoints of a sublabel of another type are dropped from every answer without a word. The
   * model list still works, so that is a warning. The drawing is the skeleton's template: CVAT's canvas finds each
   * element's node by its whole-number {@code data-node-id} and each edge's ends among those ids, and CVAT's server
   * finds each sublabel's node by its {@code data-label-name}. A drawing whose nodes do not match the sublabels one
   * to one, or whose edges join nodes it does not have, is a skeleton CVAT cannot draw: an error.
   */
  private void skeleton(JsonNode label, int line, String at) {
    JsonNode sublabels = label.get("sublabels");
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < sublabels.size(); i++) {
      JsonNode sublabel = sublabels.get(i);
      names.add(sublabel.path("name").asText(""));
      String type = sublabel.path("type").asText(KEYPOINT_TYPE);
      // CVAT reads a sublabel without a type as "unknown", which its mapping pairs with a task's points.
      if (!type.equals(KEYPOINT_TYPE) && !type.equals("unknown")) {
        warn(SKELETON, line, at + ".sublabels[" + i + "]", "type '" + type + "': CVAT's skeletons are made of points, so "
            + "CVAT drops this keypoint from every answer (it maps only to a task's points sublabel); make it "
            + "\"type\": \"points\"");
      }
    }
    if (!label.get("svg").isTextual()) {
      error(SKELETON, line, at + ".svg", "must be a string of SVG elements, one circle per sublabel");
      return;
    }
    SkeletonDrawing drawing;
    try {
      drawing = SkeletonDrawing.parse(label.get("svg").asText());
    } catch (IllegalArgumentException e) {
      error(SKELETON, line, at + ".svg", e.getMessage() + ": CVAT cannot draw the skeleton; write each keypoint as "
          + "<circle ... data-type=\"element node\" data-node-id=\"1\" data-label-name=\"NAME\"></circle>");
      return;
    }
    String fix = ": draw each sublabel as exactly one <circle data-type=\"element node\" data-node-id=\"N\" "
        + "data-label-name=\"NAME\">, N a whole number of its own";
    for (String name : names) {
      long circles = drawing.nodes().stream().filter(n -> n.sublabel().equals(name)).count();
      if (circles != 1) {
        error(SKELETON, line, at + ".svg", (circles == 0 ? "no node" : circles + " nodes") + " of the svg name sublabel"
            + " '" + name + "'" + fix);
      }
    }
    Set<String> ids = new HashSet<>();
    for (SkeletonDrawing.Node node : drawing.nodes()) {
      if (!names.contains(node.sublabel())) {
        error(SKELETON, line, at + ".svg", "a node names " + (node.sublabel().isEmpty() ? "no sublabel"
            : "'" + node.sublabel() + "', which is none of the sublabels " + names) + fix);
      }
      if (!node.id().matches("\\d+")) {
        error(SKELETON, line, at + ".svg", "node '" + node.sublabel() + "' has data-node-id '" + node.id() + "': CVAT's "
            + "canvas takes only whole numbers" + fix);
      } else if (!ids.add(node.id())) {
        error(SKELETON, line, at + ".svg", "data-node-id " + node.id() + " is on several nodes" + fix);
      }
    }
    for (SkeletonDrawing.Edge edge : drawing.edges()) {
      for (String end : List.of(edge.from(), edge.to())) {
        if (!ids.contains(end)) {
          error(SKELETON, line, at + ".svg", "an edge joins node '" + end + "', which the svg does not have (its nodes "
              + "are " + new java.util.TreeSet<>(ids) + "): point data-node-from and data-node-to at data-node-ids");
        }
      }
    }
  }

  /**
   * Reports a label or attribute without a name ({@code missingRule}), or with the name of an earlier one in its
   * list ({@code <kind>-duplicate}); {@code consequence} says what a duplicate breaks, if more than the list.
   *
   * @return the name, empty when there is none
   */
  private String uniqueName(String kind, JsonNode item, Set<String> names, int line, String at, String missingRule,
      String consequence) {
    String name = item.path("name").asText("");
    if (name.isEmpty()) {
      error(missingRule, line, at, "every " + kind + " needs a \"name\"");
    } else if (!names.add(name)) {
      error(kind + "-duplicate", line, at, kind + " '" + name + "' appears twice" + consequence + ": rename one");
    }
    return name;
  }

  private void attributes(JsonNode attributes, int line, String field) {
    if (attributes.isMissingNode() || attributes.isNull()) {
      return;
    }
    if (!attributes.isArray()) {
      error("attribute-fields", line, field + ".attributes", "must be a list of attributes");
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < attributes.size(); i++) {
      JsonNode attribute = attributes.get(i);
      String at = field + ".attributes[" + i + "]";
      String name = uniqueName("attribute", attribute, names, line, at, "attribute-fields", "");
      if (!attribute.has("input_type") || !attribute.path("values").isArray()) {
        error("attribute-fields", line, at, "an attribute needs \"input_type\" and \"values\" (a list); without them "
            + "CVAT's whole model list fails");
      } else if (!INPUT_TYPES.contains(attribute.get("input_type").asText())) {
        error("attribute-input-type", line, at, "input_type '" + attribute.get("input_type").asText()
            + "' is unknown; use one of " + new java.util.TreeSet<>(INPUT_TYPES));
      } else if (attribute.get("input_type").asText().equals("number") && !integerRange(attribute.get("values"))) {
        warn("attribute-number", line, at, "values " + attribute.get("values") + " are not [min, max, step] in "
            + "integers with min <= max and a step > 0 that divides max - min: CVAT keeps a returned number only "
            + "when it is such an integer, so it drops every value of '" + name + "'; declare e.g. [\"0\", \"100\", "
            + "\"1\"] and return whole numbers (a score as a percentage)");
      }
    }
  }

  /** CVAT's rule for a number attribute's values: min, max and step, integers, the step dividing the range. */
  private static boolean integerRange(JsonNode values) {
    if (values.size() != 3) {
      return false;
    }
    long[] range = new long[3];
    for (int i = 0; i < 3; i++) {
      try {
        range[i] = Long.parseLong(values.get(i).asText());
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return range[0] <= range[1] && range[2] > 0 && (range[1] - range[0]) % range[2] == 0;
  }

  private void runtime(Node spec) {
    int line = line(spec);
    if (text(get(spec, "description")).filter(s -> !s.isBlank()).isEmpty()) {
      error("description", line, "spec.description", "missing: CVAT's model list fails for every function when one "
          + "has no description; add a sentence");
    }
    if (text(get(spec, "runtime")).filter(s -> !s.isBlank()).isEmpty()) {
      error("runtime", line, "spec.runtime", "missing: set the runtime, e.g. java or 'python:3.9'");
    }
    if (text(get(spec, "handler")).filter(s -> !s.isBlank()).isEmpty()) {
      error("handler", line, "spec.handler", "missing: set the handler (the class name for Java, main:handler for Python)");
    }
    Optional<Node> timeout = get(spec, "eventTimeout");
    text(timeout).filter(t -> !GoDuration.isValid(t)).ifPresent(t ->
        error("event-timeout", line(timeout.get()), "spec.eventTimeout", "'" + t + "' is not a duration: write it "
            + "as Go does, e.g. 30s or 1m30s"));
  }

  private void triggers(Node spec) {
    Optional<Node> triggers = get(spec, "triggers");
    if (triggers.isEmpty() || !(triggers.get() instanceof MappingNode mapping)) {
      return;
    }
    int http = 0;
    for (NodeTuple tuple : mapping.getValue()) {
      Node trigger = tuple.getValueNode();
      String field = "spec.triggers." + ((ScalarNode) tuple.getKeyNode()).getValue();
      if (!text(get(trigger, "kind")).filter("http"::equals).isPresent()) {
        continue;
      }
      if (++http > 1) {
        error("http-trigger-count", line(tuple.getKeyNode()), field, "a function has at most one http trigger: "
            + "remove this one");
      }
      get(trigger, "maxWorkers").ifPresent(n -> warn("max-workers", line(n), field + ".maxWorkers",
          "deprecated since Nuclio 1.13 and removed in 1.15: rename it to numWorkers"));
      Optional<Node> workers = get(trigger, "numWorkers");
      text(workers).filter(w -> !w.matches("\\d+") || Long.parseLong(w) < 1 || Long.parseLong(w) > 100_000)
          .ifPresent(w -> error("num-workers", line(workers.get()), field + ".numWorkers",
              "'" + w + "' is not a worker count in 1..100000"));
      Optional<Node> body = get(trigger, "attributes").flatMap(a -> get(a, "maxRequestBodySize"));
      Optional<String> size = text(body);
      if (size.isEmpty() || !size.get().matches("\\d+")) {
        warn("max-request-body-size", body.map(YamlTree::line).orElse(line(trigger)), field + ".attributes.maxRequestBodySize",
            "not set: Nuclio's default of 4 MiB rejects large frames; set 33554432 (32 MiB) as CVAT does");
      } else if (Long.parseLong(size.get()) < NUCLIO_DEFAULT_BODY) {
        warn("max-request-body-size", line(body.get()), field + ".attributes.maxRequestBodySize",
            size.get() + " bytes is below 4 MiB: base64 frames from CVAT get rejected; set 33554432 (32 MiB)");
      }
    }
  }

  private void resources(Node spec) {
    String name = file.replace('\\', '/');
    if (!name.substring(name.lastIndexOf('/') + 1).startsWith("function-gpu")) {
      return;
    }
    Optional<String> gpus = text(get(spec, "resources").flatMap(r -> get(r, "limits"))
        .flatMap(l -> get(l, "nvidia.com/gpu")));
    if (gpus.isEmpty() || !gpus.get().matches("[1-9]\\d*")) {
      error("gpu-limit", line(spec), "spec.resources.limits.nvidia.com/gpu", "a function-gpu file without a GPU "
          + "limit runs on the CPU without a word: set resources.limits.nvidia.com/gpu: 1");
    }
  }

  private void image(Node spec) {
    Optional<Node> image = get(spec, "image");
    if (text(image).filter(s -> !s.isBlank()).isEmpty()) {
      return;
    }
    for (String key : List.of("image", "path")) {
      Optional<Node> build = path(spec, "build." + key);
      if (text(build).filter(s -> !s.isBlank()).isPresent()) {
        error("build-with-image", line(build.get()), "spec.build." + key, "with spec.image set, spec.build." + key
            + " makes Nuclio build anyway instead of deploying the image: remove spec.build." + key);
      }
    }
  }

  /** Values where a '#' was probably meant as a comment: {@code foo#bar} or {@code "foo # bar"}. */
  private void comments(Node node, String field) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
        String child = join(field, key);
        if (!child.equals("metadata.name") && !child.equals("metadata.annotations.spec")) {
          comments(tuple.getValueNode(), child);
        }
      }
    } else if (node instanceof SequenceNode sequence) {
      sequence.getValue().forEach(item -> comments(item, field + "[]"));
    } else if (node instanceof ScalarNode scalar) {
      String value = scalar.getValue();
      boolean plain = scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
      if ((plain && value.contains("#") && !value.contains("://")) || (!plain && value.contains(" #"))) {
        warn("comment-in-value", line(scalar), field, "'" + value + "' holds a '#' that YAML keeps as text: if it "
            + "was meant as a comment, put a space before it and keep it outside quotes");
      }
    }
  }

  private static String join(String field, String key) {
    return field.isEmpty() ? key : field + "." + key;
  }
}
