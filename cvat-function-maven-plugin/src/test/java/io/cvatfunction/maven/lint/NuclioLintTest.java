package io.cvatfunction.maven.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.lint.Finding.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each rule: a YAML that breaks it is reported, the same YAML without the fault is not. */
class NuclioLintTest {

  /** A correct detector config; each case below breaks one thing in it. */
  static final String GOOD = """
      metadata:
        name: shapes-detector
        namespace: nuclio
        annotations:
          name: Shapes detector
          type: detector
          framework: pytorch
          spec: |
            [
              {"id": 0, "name": "circle", "type": "rectangle",
               "attributes": [{"name": "size", "input_type": "select", "values": ["small", "large"]}]},
              {"id": 1, "name": "square", "type": "rectangle"}
            ]
      spec:
        description: Finds circles and squares
        runtime: java
        handler: com.example.ShapesDetector
        eventTimeout: 30s
        triggers:
          myHttpTrigger:
            kind: http
            numWorkers: 2
            workerAvailabilityTimeoutMilliseconds: 10000
            attributes:
              maxRequestBodySize: 33554432
        resources:
          limits:
            nvidia.com/gpu: 1
      """;

  private static List<Finding> lint(String yaml) {
    return NuclioLint.lint("function-gpu.yaml", yaml);
  }

  private static String read(String name) throws IOException {
    try (InputStream in = NuclioLintTest.class.getResourceAsStream("/lint/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theGoodConfigIsClean() {
    assertEquals(List.of(), lint(GOOD));
  }

  /** A case: the rule, its severity, the text to replace in {@link #GOOD}, its replacement, the reported line. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("yaml-syntax", Severity.ERROR, "  name: shapes-detector", "  name: [shapes", 3),
        Arguments.of("duplicate-key", Severity.ERROR, "  namespace: nuclio", "  namespace: nuclio\n  namespace: cvat", 4),
        Arguments.of("name-missing", Severity.ERROR, "  name: shapes-detector\n", "", 2),
        Arguments.of("name-format", Severity.ERROR, "name: shapes-detector", "name: Shapes Detector", 2),
        Arguments.of("name-format", Severity.ERROR, "name: shapes-detector", "name: shapes-detector.", 2),
        Arguments.of("name-kube", Severity.WARNING, "name: shapes-detector", "name: Shapes_Detector.v2", 2),
        Arguments.of("name-comment", Severity.ERROR, "name: shapes-detector", "name: shapes-detector#gpu", 2),
        Arguments.of("name-comment", Severity.ERROR, "name: shapes-detector", "name: \"shapes-detector # gpu\"", 2),
        Arguments.of("name-length", Severity.ERROR, "name: shapes-detector",
            "name: a-very-long-function-name-that-no-container-name-can-hold-nor-nuclio", 2),
        Arguments.of("name-kube", Severity.WARNING, "name: shapes-detector",
            "name: a-very-long-function-name-that-no-container-name-can-hold-x", 2),
        Arguments.of("name-reserved", Severity.ERROR, "name: shapes-detector", "name: dashboard", 2),
        Arguments.of("annotation-type", Severity.ERROR, "type: detector", "type: classifier", 6),
        Arguments.of("annotation-type", Severity.ERROR, "    type: detector\n", "", 5),
        Arguments.of("spec-json", Severity.ERROR, "\"type\": \"rectangle\"}\n", "\"type\": \"rectangle\"\n", 8),
        Arguments.of("spec-json", Severity.ERROR, SPEC, "    spec: '{\"name\": \"circle\"}'\n", 8),
        Arguments.of("label-duplicate", Severity.ERROR, "\"name\": \"square\"", "\"name\": \"circle\"", 8),
        Arguments.of("label-name", Severity.ERROR, "\"name\": \"square\", ", "\"nom\": \"square\", ", 8),
        Arguments.of("label-type", Severity.ERROR, "\"type\": \"rectangle\"}\n", "\"type\": \"box\"}\n", 8),
        Arguments.of("attribute-fields", Severity.ERROR, ", \"values\": [\"small\", \"large\"]", "", 8),
        Arguments.of("attribute-number", Severity.WARNING, "\"input_type\": \"select\", \"values\": [\"small\", \"large\"]",
            "\"input_type\": \"number\", \"values\": [\"0\", \"1\", \"0.01\"]", 8),
        Arguments.of("attribute-number", Severity.WARNING, "\"input_type\": \"select\", \"values\": [\"small\", \"large\"]",
            "\"input_type\": \"number\", \"values\": [\"0\", \"100\", \"3\"]", 8),
        Arguments.of("attribute-number", Severity.WARNING, "\"input_type\": \"select\", \"values\": [\"small\", \"large\"]",
            "\"input_type\": \"number\", \"values\": [\"0\", \"100\"]", 8),
        Arguments.of("attribute-input-type", Severity.ERROR, "\"input_type\": \"select\"", "\"input_type\": \"dropdown\"", 8),
        Arguments.of("skeleton", Severity.ERROR, "\"type\": \"rectangle\"}\n", "\"type\": \"skeleton\"}\n", 8),
        Arguments.of("description", Severity.ERROR, "  description: Finds circles and squares\n", "", 15),
        Arguments.of("runtime", Severity.ERROR, "  runtime: java\n", "", 15),
        Arguments.of("handler", Severity.ERROR, "  handler: com.example.ShapesDetector\n", "", 15),
        Arguments.of("event-timeout", Severity.ERROR, "eventTimeout: 30s", "eventTimeout: 30 seconds", 18),
        Arguments.of("http-trigger-count", Severity.ERROR, "  resources:\n",
            "    second:\n      kind: http\n      numWorkers: 1\n      attributes:\n        maxRequestBodySize: 33554432\n"
                + "  resources:\n", 26),
        Arguments.of("num-workers", Severity.ERROR, "numWorkers: 2", "numWorkers: 0", 22),
        Arguments.of("max-workers", Severity.WARNING, "numWorkers: 2", "maxWorkers: 2", 22),
        Arguments.of("max-request-body-size", Severity.WARNING, "maxRequestBodySize: 33554432", "maxRequestBodySize: 1048576", 25),
        Arguments.of("max-request-body-size", Severity.WARNING,
            "      attributes:\n        maxRequestBodySize: 33554432\n", "", 21),
        Arguments.of("gpu-limit", Severity.ERROR, "  resources:\n    limits:\n      nvidia.com/gpu: 1\n", "", 15),
        Arguments.of("gpu-limit", Severity.ERROR, "nvidia.com/gpu: 1", "nvidia.com/gpu: 0", 15),
        Arguments.of("build-with-image", Severity.ERROR, "  runtime: java",
            "  image: registry/shapes@sha256:abc\n  build:\n    image: shapes:latest\n  runtime: java", 18),
        Arguments.of("comment-in-value", Severity.WARNING, "description: Finds circles and squares",
            "description: \"Finds circles # and squares\"", 15),
        Arguments.of("labels-empty", Severity.WARNING, SPEC, "    spec:\n", 8));
  }

  /** The whole label spec block of {@link #GOOD}. */
  private static final String SPEC = GOOD.substring(GOOD.indexOf("    spec: |"), GOOD.indexOf("spec:\n  description"));

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void reportsTheRule(String rule, Severity severity, String from, String to, int line) {
    String bad = GOOD.replace(from, to);
    assertTrue(!bad.equals(GOOD), "the case must change the YAML: " + from);
    List<Finding> findings = lint(bad);
    Finding finding = findings.stream().filter(f -> f.rule().equals(rule)).findFirst()
        .orElseThrow(() -> new AssertionError(rule + " not reported for:\n" + bad + "\ngot " + findings));
    assertEquals(severity, finding.severity(), finding.toString());
    assertEquals(line, finding.line(), finding.toString());
    assertTrue(finding.message().length() > 20, "says how to fix it: " + finding);
    assertTrue(lint(GOOD).stream().noneMatch(f -> f.rule().equals(rule)));
  }

  @Test
  void aGoodSkeletonIsClean() throws IOException {
    assertEquals(List.of(), lint(read(SKELETON)));
  }

  private static final String SKELETON = "skeleton-function-gpu.yaml";

  /**
   * A broken skeleton: the text to replace in {@value #SKELETON}, its replacement, the severity and what the message
   * says. Quotes inside the label JSON are escaped, as in the file.
   */
  static Stream<Arguments> brokenSkeletons() {
    String thumbCircle = "<circle r=\\\"1.5\\\" stroke=\\\"black\\\" fill=\\\"#b3b3b3\\\" cx=\\\"84.64\\\" cy=\\\"70\\\" "
        + "stroke-width=\\\"0.1\\\" data-type=\\\"element node\\\" data-element-id=\\\"2\\\" data-node-id=\\\"2\\\" "
        + "data-label-name=\\\"thumb\\\"></circle>";
    return Stream.of(
        Arguments.of(thumbCircle, "", Severity.ERROR, "no node of the svg name sublabel 'thumb'"),
        Arguments.of(thumbCircle, "", Severity.ERROR, "an edge joins node '2', which the svg does not have"),
        Arguments.of("label-name=\\\"index\\\"", "label-name=\\\"thumb\\\"", Severity.ERROR,
            "2 nodes of the svg name sublabel 'thumb'"),
        Arguments.of("label-name=\\\"index\\\"", "label-name=\\\"pinky\\\"", Severity.ERROR,
            "a node names 'pinky', which is none of the sublabels [wrist, thumb, index]"),
        Arguments.of("data-node-id=\\\"3\\\"", "data-node-id=\\\"2\\\"", Severity.ERROR,
            "data-node-id 2 is on several nodes"),
        Arguments.of("data-node-id=\\\"3\\\"", "data-node-id=\\\"c\\\"", Severity.ERROR,
            "node 'index' has data-node-id 'c': CVAT's canvas takes only whole numbers"),
        Arguments.of("data-node-to=\\\"3\\\"", "data-node-to=\\\"4\\\"", Severity.ERROR,
            "an edge joins node '4', which the svg does not have (its nodes are [1, 2, 3])"),
        Arguments.of("></circle>\"}", ">\"}", Severity.ERROR, "the svg is not well-formed markup"),
        Arguments.of("\"svg\":\"<line", "\"svg\":42,\"drawing\":\"<line", Severity.ERROR,
            "must be a string of SVG elements"),
        Arguments.of("{\"id\":1,\"name\":\"thumb\",\"type\":\"points\"}", "{\"id\":1,\"name\":\"thumb\",\"type\":\"rectangle\"}",
            Severity.WARNING, "type 'rectangle': CVAT's skeletons are made of points, so CVAT drops this keypoint"));
  }

  @ParameterizedTest(name = "[{index}] {3}")
  @MethodSource("brokenSkeletons")
  void aBrokenSkeletonIsReported(String from, String to, Severity severity, String message) throws IOException {
    String good = read(SKELETON);
    String bad = good.replace(from, to);
    assertTrue(!bad.equals(good), "the case must change the YAML: " + from);
    List<Finding> findings = lint(bad);
    Finding finding = findings.stream().filter(f -> f.message().contains(message)).findFirst()
        .orElseThrow(() -> new AssertionError("'" + message + "' not reported; got " + findings));
    assertEquals("skeleton", finding.rule(), finding.toString());
    assertEquals(severity, finding.severity(), finding.toString());
    assertEquals(8, finding.line(), "the label spec's line: " + finding);
  }

  @Test
  void cvatsOwnFunctionsPassWithoutErrors() throws IOException {
    for (String file : List.of("cvat-sam-function-gpu.yaml", "cvat-yolov7-function-gpu.yaml")) {
      List<Finding> findings = NuclioLint.lint(file, read(file));
      assertTrue(findings.stream().noneMatch(f -> f.severity() == Severity.ERROR), file + ": " + findings);
    }
    List<Finding> sam = NuclioLint.lint("cvat-sam-function-gpu.yaml", read("cvat-sam-function-gpu.yaml"));
    assertEquals(List.of("max-workers"), sam.stream().map(Finding::rule).toList(), "SAM still uses maxWorkers");
  }

  /** Names CVAT's own functions had, which Nuclio takes on the local platform: a warning for Kubernetes only. */
  @ParameterizedTest
  @ValueSource(strings = {"pth.facebookresearch.sam.vit_h", "openvino.omz.public.yolo-v3-tf", "onnx-wongkinyiu-yolov7"})
  void cvatsOwnFunctionNamesAreNoErrors(String name) {
    List<Finding> findings = lint(GOOD.replace("name: shapes-detector", "name: " + name));
    if (name.contains(".") || name.contains("_")) {
      assertEquals(1, findings.size(), findings.toString());
      assertEquals("function-gpu.yaml:2: warning [name-kube] metadata.name: on Kubernetes Nuclio names the function's "
          + "Service 'nuclio-" + name + "', which must be a DNS-1035 label (lower-case letters, digits and '-', at most "
          + "63 characters with the prefix), so the deploy fails there; the local platform takes it. A name that works "
          + "everywhere: '" + name.replaceAll("[._]", "-") + "'", findings.get(0).toString());
    } else {
      assertEquals(List.of(), findings);
    }
  }

  @Test
  void theNameLimitsAreNucliosAndKubernetes() {
    String longest = "a".repeat(63);
    assertEquals(List.of("name-kube"), lint(GOOD.replace("name: shapes-detector", "name: " + longest)).stream()
        .map(Finding::rule).toList(), "63 characters: Nuclio takes it, 'nuclio-' + 63 is too long for a Service");
    assertEquals(List.of("name-length"), lint(GOOD.replace("name: shapes-detector", "name: " + longest + "a")).stream()
        .map(Finding::rule).toList());
    assertEquals(List.of(), lint(GOOD.replace("name: shapes-detector", "name: " + "a".repeat(56))), "56 fit everywhere");
    assertEquals(List.of("name-kube"), lint(GOOD.replace("name: shapes-detector", "name: " + "a".repeat(57))).stream()
        .map(Finding::rule).toList());
  }

  @Test
  void theSeedsCommentInTheNameIsAnError() throws IOException {
    List<Finding> findings = NuclioLint.lint("seed/function-gpu.yaml", read("seed-function-gpu.yaml"));
    Finding name = findings.stream().filter(f -> f.rule().equals("name-comment")).findFirst().orElseThrow();
    assertEquals(Severity.ERROR, name.severity());
    assertEquals("seed/function-gpu.yaml:2: error [name-comment] metadata.name: 'ultralytics-yolov8 # GPU version' "
        + "holds a '#': YAML took the comment into the name, which puts the function in error; put a space before "
        + "'#' and keep comments outside quotes", name.toString());
  }

  @Test
  void numberAttributesCvatKeepsAreClean() {
    for (String values : List.of("[\"0\", \"100\", \"1\"]", "[\"0\", \"150\", \"1\"]", "[\"-10\", \"10\", \"5\"]",
        "[\"7\", \"7\", \"1\"]")) {
      assertEquals(List.of(), lint(GOOD.replace("\"input_type\": \"select\", \"values\": [\"small\", \"large\"]",
          "\"input_type\": \"number\", \"values\": " + values)), values);
    }
  }

  @Test
  void everyDurationGoParsesIsTakenAsTheRuntimeTakesIt() {
    // The runtime's GoDuration reads all of these; µ is the micro sign (U+00B5), μ Greek mu (U+03BC).
    for (String timeout : List.of("30s", "1m30s", "1.5h", "500ms", "5us", "5\u00b5s", "5\u03bcs", "0")) {
      assertEquals(List.of(), lint(GOOD.replace("eventTimeout: 30s", "eventTimeout: " + timeout)), timeout);
    }
  }

  @Test
  void labelsAndAttributesNeedANameOfTheirOwn() {
    String values = "\"values\": [\"small\", \"large\"]}";
    assertEquals(List.of("function-gpu.yaml:8: error [attribute-duplicate] metadata.annotations.spec[0].attributes[1]: "
        + "attribute 'size' appears twice: rename one"), findings(GOOD.replace(values, values
            + ", {\"name\": \"size\", \"input_type\": \"checkbox\", \"values\": [\"false\"]}")));
    assertEquals(List.of("function-gpu.yaml:8: error [attribute-fields] metadata.annotations.spec[0].attributes[0]: "
        + "every attribute needs a \"name\""), findings(GOOD.replace("{\"name\": \"size\", ", "{")));
    assertEquals(List.of("function-gpu.yaml:8: error [label-duplicate] metadata.annotations.spec[1]: label 'circle' "
        + "appears twice; CVAT skips the function: rename one"),
        findings(GOOD.replace("\"name\": \"square\"", "\"name\": \"circle\"")));
    assertEquals(List.of("function-gpu.yaml:8: error [label-name] metadata.annotations.spec[1]: every label needs a "
        + "\"name\""), findings(GOOD.replace("\"name\": \"square\", ", "")));
  }

  private static List<String> findings(String yaml) {
    return lint(yaml).stream().map(Finding::toString).toList();
  }

  @Test
  void cpuFilesNeedNoGpu() {
    String cpu = GOOD.replace("  resources:\n    limits:\n      nvidia.com/gpu: 1\n", "");
    assertEquals(List.of(), NuclioLint.lint("target/cvat/function.yaml", cpu));
  }
}
