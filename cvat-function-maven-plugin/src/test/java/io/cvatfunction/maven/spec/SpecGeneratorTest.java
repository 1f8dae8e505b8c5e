package io.cvatfunction.maven.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.contract.Skeletons;
import io.cvatfunction.maven.lint.NuclioLint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** cvat:spec's generator on classes compiled by javac from real sources, with the real shapes model. */
class SpecGeneratorTest {

  private static final String FULL = """
      package com.example;
      import io.cvatfunction.runtime.*;
      import io.cvatfunction.runtime.yolo.YoloDetector;
      @CvatFunction(
          name = "shapes",
          displayName = "Shapes (YOLOv8n)",
          description = "Finds balls: and triangles",
          model = "classpath:models/shapes.torchscript",
          labels = {
              @Label(model = "circle", name = "ball", attributes = @Attribute(name = "size",
                  inputType = Attribute.InputType.SELECT, values = {"small", "large"})),
              @Label(model = "square", drop = true)},
          gpus = 2, workers = 3, eventTimeout = "1m", workerAvailabilityTimeoutMillis = 5000,
          maxRequestBodySize = 64 * 1024 * 1024,
          env = {@CvatFunction.Env(name = "B_FIRST", value = "1"), @CvatFunction.Env(name = "A_SECOND", value = "two words")})
      public class Shapes extends YoloDetector {}
      """;

  private static String expected(String name) throws IOException {
    try (InputStream in = SpecGeneratorTest.class.getResourceAsStream("/spec/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String detector(String className, String name, String extra) {
    return "package com.example;\n@io.cvatfunction.runtime.CvatFunction(name = \"" + name + "\", description = \"d\","
        + " model = \"classpath:models/shapes.torchscript\"" + extra + ")\n"
        + "public class " + className + " extends io.cvatfunction.runtime.yolo.YoloDetector {}\n";
  }

  @Test
  void writesTheGoldenYamlByteForByte(@TempDir Path dir) throws Exception {
    CompiledProject project = new CompiledProject(dir).compile(Map.of("com.example.Shapes", FULL))
        .withShapesModel("models/shapes.torchscript");
    Path out = dir.resolve("cvat");
    SpecGenerator.Result result = project.generator().generate(out);
    assertEquals(List.of(out.resolve("function-gpu.yaml"), out.resolve("function.yaml")), result.files());
    assertEquals(List.of(), result.warnings());
    String gpu = Files.readString(out.resolve("function-gpu.yaml"));
    assertEquals(expected("expected-function-gpu.yaml"), gpu);
    assertEquals(gpu.replace("  resources:\n    limits:\n      nvidia.com/gpu: 2\n", ""),
        Files.readString(out.resolve("function.yaml")));
    assertFalse(gpu.contains("\r"));

    assertReproducible(project, out);
  }

  @Test
  void labelsComeFromTheModelWithTheirTypes(@TempDir Path dir) throws Exception {
    CompiledProject project = new CompiledProject(dir)
        .compile(Map.of("com.example.Seg", detector("Seg", "seg", ", gpus = 0")))
        .withMetadataOnlyModel("models/shapes.torchscript",
            "{\"imgsz\": 640, \"task\": \"segment\", \"names\": {\"0\": \"cell\", \"1\": \"nucleus\"}}");
    Path out = dir.resolve("cvat");
    SpecGenerator.Result result = project.generator().generate(out);
    assertEquals(List.of(out.resolve("function.yaml")), result.files(), "no GPU file without GPUs");
    String yaml = Files.readString(out.resolve("function.yaml"));
    assertTrue(yaml.contains("{\"id\":0,\"name\":\"cell\",\"type\":\"mask\"},\n"), yaml);
    assertTrue(yaml.contains("{\"id\":1,\"name\":\"nucleus\",\"type\":\"mask\"}\n"), yaml);

    CompiledProject polygons = new CompiledProject(dir.resolve("polygons"))
        .compile(Map.of("com.example.Seg", detector("Seg", "seg", ", gpus = 0, "
            + "segments = io.cvatfunction.runtime.CvatFunction.SegmentShape.POLYGON")))
        .withMetadataOnlyModel("models/shapes.torchscript",
            "{\"imgsz\": 640, \"task\": \"segment\", \"names\": {\"0\": \"cell\"}}");
    polygons.generator().generate(dir.resolve("polygons/cvat"));
    assertTrue(Files.readString(dir.resolve("polygons/cvat/function.yaml"))
        .contains("{\"id\":0,\"name\":\"cell\",\"type\":\"polygon\"}"));
  }

  @Test
  void severalFunctionsGetADirectoryEach(@TempDir Path dir) throws Exception {
    CompiledProject project = new CompiledProject(dir).compile(Map.of(
        "com.example.One", detector("One", "one", ""),
        "com.example.Two", detector("Two", "two", ""))).withShapesModel("models/shapes.torchscript");
    Path out = dir.resolve("cvat");
    project.generator().generate(out);
    assertTrue(Files.readString(out.resolve("one/function-gpu.yaml")).contains("handler: com.example.One"));
    assertTrue(Files.readString(out.resolve("two/function-gpu.yaml")).contains("handler: com.example.Two"));
  }

  @Test
  void theConfidenceAttributeIsDeclaredOnEveryLabelAsTheRuntimeFillsIt(@TempDir Path dir) throws Exception {
    CompiledProject project = new CompiledProject(dir).compile(Map.of("com.example.X", detector("X", "x",
        ", confidenceAttribute = \"confidence\", labels = @io.cvatfunction.runtime.Label(model = \"circle\","
            + " attributes = @io.cvatfunction.runtime.Attribute(name = \"size\","
            + " inputType = io.cvatfunction.runtime.Attribute.InputType.SELECT, values = {\"small\", \"large\"}))")))
        .withShapesModel("models/shapes.torchscript");
    Path out = dir.resolve("cvat");
    assertEquals(List.of(), project.generator().generate(out).warnings(), "a number attribute CVAT keeps");
    String confidence = "{\"name\":\"confidence\",\"input_type\":\"number\",\"values\":[\"0\",\"100\",\"1\"],"
        + "\"default_value\":\"0\"}";
    String yaml = Files.readString(out.resolve("function-gpu.yaml"));
    assertTrue(yaml.contains("{\"id\":0,\"name\":\"circle\",\"type\":\"rectangle\",\"attributes\":[{\"name\":\"size\","
        + "\"input_type\":\"select\",\"values\":[\"small\",\"large\"],\"default_value\":\"small\"}," + confidence
        + "]},\n"), yaml);
    assertTrue(yaml.contains("{\"id\":1,\"name\":\"square\",\"type\":\"rectangle\",\"attributes\":[" + confidence
        + "]},\n"), yaml);
    assertTrue(yaml.contains("{\"id\":2,\"name\":\"triangle\",\"type\":\"rectangle\",\"attributes\":[" + confidence
        + "]}\n"), yaml);
    // The range declared is the one the runtime's values fall in.
    assertEquals(io.cvatfunction.runtime.cvat.ConfidenceAttribute.VALUES, FunctionSpec.CONFIDENCE_VALUES);

    CompiledProject clash = new CompiledProject(dir.resolve("clash")).compile(Map.of("com.example.X", detector("X", "x",
        ", confidenceAttribute = \"size\", labels = @io.cvatfunction.runtime.Label(model = \"circle\","
            + " attributes = @io.cvatfunction.runtime.Attribute(name = \"size\","
            + " inputType = io.cvatfunction.runtime.Attribute.InputType.TEXT))")))
        .withShapesModel("models/shapes.torchscript");
    assertMessage(clash, "@Label(model = \"circle\") of com.example.X declares attribute 'size', the name of "
        + "@CvatFunction(confidenceAttribute) too: rename one");
  }

  /** The label list of a written YAML, parsed. */
  private static JsonNode labels(Path yaml) throws IOException {
    Map<?, ?> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(yaml));
    Map<?, ?> annotations = (Map<?, ?>) ((Map<?, ?>) root.get("metadata")).get("annotations");
    return new ObjectMapper().readTree((String) annotations.get("spec"));
  }

  private static CompiledProject pose(Path dir, String extra) throws Exception {
    return new CompiledProject(dir).compile(Map.of("com.example.Pose", detector("Pose", "pose", extra)))
        .withModel("models/shapes.torchscript", "shapes-yolov8n-pose");
  }

  private static final String CONFIDENCE = ", confidenceAttribute = \"confidence\"";

  @Test
  void aPoseModelsLabelsAreSkeletonsWithTheKeypointsOfKeypointsTxt(@TempDir Path dir) throws Exception {
    CompiledProject project = pose(dir, CONFIDENCE).withResource("models/" + Skeletons.FILE, """
        # the shapes-pose model's keypoints, in its order
        tip
        tail
        left wing
        right wing
        tip - tail
        left wing - right wing
        """);
    Path out = dir.resolve("cvat");
    SpecGenerator.Result result = project.generator().generate(out);
    assertEquals(List.of(new SpecGenerator.Note(false, "Keypoint names of pose: keypoints.txt beside the model ("
        + project.classes.resolve("models/keypoints.txt") + ")")), result.notes());
    assertEquals(List.of(), result.warnings());

    JsonNode labels = labels(out.resolve("function-gpu.yaml"));
    assertEquals(2, labels.size());
    for (int id = 0; id < 2; id++) {
      JsonNode label = labels.get(id);
      assertEquals(List.of("id", "name", "type", "attributes", "sublabels", "svg"), fieldNames(label));
      assertEquals(List.of("arrow", "kite").get(id), label.get("name").asText());
      assertEquals("skeleton", label.get("type").asText());
      assertEquals("confidence", label.get("attributes").get(0).get("name").asText(), "on the skeleton label");
      assertEquals("[{\"id\":0,\"name\":\"tip\",\"type\":\"points\"},{\"id\":1,\"name\":\"tail\",\"type\":\"points\"},"
          + "{\"id\":2,\"name\":\"left wing\",\"type\":\"points\"},{\"id\":3,\"name\":\"right wing\",\"type\":\"points\"}]",
          label.get("sublabels").toString(), "points sublabels, no attributes of their own");
      String svg = label.get("svg").asText();
      assertEquals(2, svg.split("<line ", -1).length - 1, svg);
      assertTrue(svg.contains("data-node-from=\"1\" data-node-to=\"2\""), svg);
      assertTrue(svg.contains("data-node-from=\"3\" data-node-to=\"4\""), svg);
      assertTrue(svg.contains("data-node-id=\"3\" data-label-name=\"left wing\""), svg);
    }
    String yaml = Files.readString(out.resolve("function-gpu.yaml"));
    assertEquals(List.of(), NuclioLint.lint("function-gpu.yaml", yaml), "the lint takes the skeletons as they are");

    assertReproducible(project, out);
  }

  @Test
  void aPoseModelWithoutNamesGetsNumberedKeypointsAndAWarning(@TempDir Path dir) throws Exception {
    SpecGenerator.Result result = pose(dir, "").generator().generate(dir.resolve("cvat"));
    assertEquals(1, result.notes().size(), result.notes().toString());
    SpecGenerator.Note warning = result.notes().get(0);
    assertTrue(warning.warning());
    assertEquals("the 4 keypoints of pose are named 1 to 4 in CVAT, as neither the function nor its model names them:"
        + " name them, in the model's order, with @CvatFunction(keypoints = {...}) or in "
        + dir.resolve("classes/models/keypoints.txt") + " (one name a line, edges as 'a - b' lines)", warning.text());
    JsonNode arrow = labels(dir.resolve("cvat/function-gpu.yaml")).get(0);
    assertEquals(List.of("id", "name", "type", "sublabels", "svg"), fieldNames(arrow), "no attributes declared");
    assertEquals(List.of("1", "2", "3", "4"), arrow.get("sublabels").findValuesAsText("name"));
    assertFalse(arrow.get("svg").asText().contains("<line"), "no edges");
  }

  @Test
  void keypointsDeclaredInTheAnnotationComeFirst(@TempDir Path dir) throws Exception {
    CompiledProject project = pose(dir, ", keypoints = {\"a\", \"b\", \"c\", \"d\"}, edges = \"a - d\"")
        .withResource("models/" + Skeletons.FILE, "w\nx\ny\nz\n");
    SpecGenerator.Result result = project.generator().generate(dir.resolve("cvat"));
    assertEquals(List.of(new SpecGenerator.Note(false, "Keypoint names of pose: @CvatFunction(keypoints)")),
        result.notes());
    JsonNode kite = labels(dir.resolve("cvat/function-gpu.yaml")).get(1);
    assertEquals(List.of("a", "b", "c", "d"), kite.get("sublabels").findValuesAsText("name"));
    assertTrue(kite.get("svg").asText().contains("data-node-from=\"1\" data-node-to=\"4\""));
  }

  @Test
  void keypointsThatDoNotFitTheModelAreRefused(@TempDir Path dir) throws Exception {
    assertMessage(pose(dir.resolve("annotation"), ", keypoints = {\"a\", \"b\", \"c\"}"),
        "@CvatFunction(keypoints) names 3 keypoints, but the model predicts 4: name each of them, in the model's order");
    CompiledProject file = pose(dir.resolve("file"), "").withResource("models/" + Skeletons.FILE, "a\nb\nc\nd\ne\n");
    assertMessage(file, "the keypoints of com.example.Pose (model " + file.classes.resolve("models/shapes.torchscript")
        + "): keypoints.txt names 5 keypoints, but the model predicts 4");
    CompiledProject edge = pose(dir.resolve("edge"), "").withResource("models/" + Skeletons.FILE, "a\nb\nc\nd\na - e\n");
    assertMessage(edge, "keypoints.txt has the edge 'a - e', but 'e' is none of the keypoints [a, b, c, d]");
  }

  @Test
  void anObbModelsLabelsAreRectanglesAndAClassifiersAreTags(@TempDir Path dir) throws Exception {
    CompiledProject obb = new CompiledProject(dir.resolve("obb"))
        .compile(Map.of("com.example.Obb", detector("Obb", "obb", CONFIDENCE)))
        .withModel("models/shapes.torchscript", "shapes-yolov8n-obb");
    obb.generator().generate(dir.resolve("obb/cvat"));
    JsonNode boxes = labels(dir.resolve("obb/cvat/function-gpu.yaml"));
    assertEquals(List.of("plate", "bar", "card"), boxes.findValuesAsText("name").stream()
        .filter(n -> !n.equals("confidence")).toList());
    boxes.forEach(label -> assertEquals("rectangle", label.get("type").asText()));
    boxes.forEach(label -> assertEquals("confidence", label.get("attributes").get(0).get("name").asText()));

    CompiledProject classify = new CompiledProject(dir.resolve("cls"))
        .compile(Map.of("com.example.Cls", detector("Cls", "cls", CONFIDENCE)))
        .withModel("models/shapes.torchscript", "shapes-yolov8n-cls");
    SpecGenerator.Result result = classify.generator().generate(dir.resolve("cls/cvat"));
    assertEquals(List.of(), result.notes());
    JsonNode tags = labels(dir.resolve("cls/cvat/function-gpu.yaml"));
    assertEquals(3, tags.size());
    tags.forEach(label -> assertEquals("tag", label.get("type").asText()));
    tags.forEach(label -> assertEquals("confidence", label.get("attributes").get(0).get("name").asText()));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void explainsWhatToFix(@TempDir Path dir) throws Exception {
    CompiledProject none = new CompiledProject(dir.resolve("none"))
        .compile(Map.of("com.example.Plain", "package com.example; public class Plain {}"));
    assertMessage(none, "no class annotated with @CvatFunction");

    CompiledProject badLabel = new CompiledProject(dir.resolve("label"))
        .compile(Map.of("com.example.X", detector("X", "x",
            ", labels = @io.cvatfunction.runtime.Label(model = \"circel\", name = \"ball\")")))
        .withShapesModel("models/shapes.torchscript");
    assertMessage(badLabel, "names [circel], which the model does not have; its labels are [circle, square, triangle]");

    CompiledProject noKind = new CompiledProject(dir.resolve("kind")).compile(Map.of("com.example.Plain", """
        package com.example;
        @io.cvatfunction.runtime.CvatFunction(name = "plain", description = "d", model = "m")
        public class Plain {}
        """));
    assertMessage(noKind, "com.example.Plain is annotated with @CvatFunction but serves no CVAT function kind: extend "
        + "YoloDetector (a CVAT detector)");

    CompiledProject noModel = new CompiledProject(dir.resolve("model")).compile(Map.of("com.example.X", detector("X", "x", "")));
    assertMessage(noModel, "put it under src/main/resources/models/shapes.torchscript");

    CompiledProject badName = new CompiledProject(dir.resolve("name"))
        .compile(Map.of("com.example.X", detector("X", "My Detector", ""))).withShapesModel("models/shapes.torchscript");
    assertMessage(badName, "[name-format] metadata.name");

    // Nuclio's local platform takes it, Kubernetes does not: cvat:spec writes only names that work everywhere.
    CompiledProject localOnly = new CompiledProject(dir.resolve("local-only"))
        .compile(Map.of("com.example.X", detector("X", "My_Detector", ""))).withShapesModel("models/shapes.torchscript");
    assertMessage(localOnly, "[name-kube] metadata.name: on Kubernetes Nuclio names the function's Service "
        + "'nuclio-My_Detector'");
    assertMessage(localOnly, "A name that works everywhere: 'my-detector'");
  }

  /** Generating again from the same input writes the same bytes. */
  private static void assertReproducible(CompiledProject project, Path out) throws Exception {
    byte[] first = Files.readAllBytes(out.resolve("function-gpu.yaml"));
    project.generator().generate(out);
    assertArrayEquals(first, Files.readAllBytes(out.resolve("function-gpu.yaml")), "same input, same bytes");
  }

  private static void assertMessage(CompiledProject project, String text) {
    SpecGenerator.SpecException e = assertThrows(SpecGenerator.SpecException.class,
        () -> project.generator().generate(project.classes.resolveSibling("cvat")));
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }
}
