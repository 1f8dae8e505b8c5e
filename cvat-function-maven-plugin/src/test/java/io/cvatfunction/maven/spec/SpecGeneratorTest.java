package io.cvatfunction.maven.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    byte[] first = Files.readAllBytes(out.resolve("function-gpu.yaml"));
    project.generator().generate(out);
    assertArrayEquals(first, Files.readAllBytes(out.resolve("function-gpu.yaml")), "same input, same bytes");
  }

  @Test
  void labelsComeFromTheModelWithTheirTypes(@TempDir Path dir) throws Exception {
    CompiledProject project = new CompiledProject(dir)
        .compile(Map.of("com.example.Seg", detector("Seg", "seg", ", gpus = 0")))
        .withMetadataOnlyModel("models/shapes.torchscript",
            "{\"task\": \"segment\", \"names\": {\"0\": \"cell\", \"1\": \"nucleus\"}}");
    Path out = dir.resolve("cvat");
    SpecGenerator.Result result = project.generator().generate(out);
    assertEquals(List.of(out.resolve("function.yaml")), result.files(), "no GPU file without GPUs");
    String yaml = Files.readString(out.resolve("function.yaml"));
    assertTrue(yaml.contains("{\"id\":0,\"name\":\"cell\",\"type\":\"mask\"},\n"), yaml);
    assertTrue(yaml.contains("{\"id\":1,\"name\":\"nucleus\",\"type\":\"mask\"}\n"), yaml);

    CompiledProject polygons = new CompiledProject(dir.resolve("polygons"))
        .compile(Map.of("com.example.Seg", detector("Seg", "seg", ", gpus = 0, "
            + "segments = io.cvatfunction.runtime.CvatFunction.SegmentShape.POLYGON")))
        .withMetadataOnlyModel("models/shapes.torchscript", "{\"task\": \"segment\", \"names\": {\"0\": \"cell\"}}");
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

  private static void assertMessage(CompiledProject project, String text) {
    SpecGenerator.SpecException e = assertThrows(SpecGenerator.SpecException.class,
        () -> project.generator().generate(project.classes.resolveSibling("cvat")));
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }
}
