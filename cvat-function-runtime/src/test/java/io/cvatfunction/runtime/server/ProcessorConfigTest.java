package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.HandlerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorConfigTest {

  @TempDir Path dir;

  @Test
  void readsTheHttpTrigger() throws IOException {
    Path file = dir.resolve("processor.yaml");
    Files.writeString(file, """
        metadata:
          name: shapes
        spec:
          handler: com.example.Shapes
          eventTimeout: 45s
          triggers:
            cron:
              kind: cron
              numWorkers: 9
            myHttp:
              kind: http
              numWorkers: 3
              workerAvailabilityTimeoutMilliseconds: 2500
              attributes:
                maxRequestBodySize: 1048576
        """);
    ProcessorConfig config = ProcessorConfig.read(file);
    assertEquals(Optional.of(3), config.workers());
    assertEquals(Optional.of(Duration.ofMillis(2500)), config.workerAvailabilityTimeout());
    assertEquals(Optional.of(1_048_576L), config.maxRequestBodySize());
    assertEquals(Optional.of(Duration.ofSeconds(45)), config.eventTimeout());
    assertEquals(Optional.of("com.example.Shapes"), config.handler());
  }

  /**
   * The shape of the processor.yaml Nuclio's local platform mounts: the whole function config, marshalled from
   * Go, so a field the function leaves unset that has no {@code omitempty} is written as {@code ""}
   * ({@code eventTimeout} always is).
   */
  @Test
  void readsTheConfigAsNuclioWritesIt() throws IOException {
    Path file = dir.resolve("processor.yaml");
    Files.writeString(file, """
        metadata:
          name: shapes-detector
          namespace: nuclio
          labels:
            nuclio.io/project-name: cvat
          annotations:
            framework: pytorch
            name: Shapes detector
            spec: '[{"id": 0, "name": "circle", "type": "rectangle"}]'
            type: detector
        spec:
          description: Finds circles, squares and triangles
          handler: io.cvatfunction.samples.shapes.ShapesDetector
          runtime: java
          image: localhost:5000/shapes-detector@sha256:0123
          resources:
            limits:
              nvidia.com/gpu: "1"
          targetCPU: 75
          triggers:
            myHttpTrigger:
              class: ""
              kind: http
              name: myHttpTrigger
              numWorkers: 2
              attributes:
                maxRequestBodySize: 33554432
          build:
            codeEntryType: image
            timestamp: 1764460800
          runRegistry: ""
          platform: {}
          readinessTimeoutSeconds: 300
          securityContext: {}
          eventTimeout: ""
        """);
    ProcessorConfig config = ProcessorConfig.read(file);
    assertEquals(Optional.of(2), config.workers());
    assertEquals(Optional.empty(), config.workerAvailabilityTimeout());
    assertEquals(Optional.of(33_554_432L), config.maxRequestBodySize());
    assertEquals(Optional.empty(), config.eventTimeout(), "blank: the annotation's event timeout applies");
    assertEquals(Optional.of("io.cvatfunction.samples.shapes.ShapesDetector"), config.handler());
    assertEquals(Duration.ofSeconds(12), ServerSettings.resolve(Annotated.class, config, name -> null).eventTimeout());
  }

  @Test
  void blankMeansAbsentForEveryField() throws IOException {
    Path file = dir.resolve("blank.yaml");
    Files.writeString(file, """
        spec:
          handler: ""
          eventTimeout: " "
          triggers:
            http:
              kind: http
              numWorkers: ""
              maxWorkers:
              workerAvailabilityTimeoutMilliseconds: ~
              attributes:
                maxRequestBodySize: ""
        """);
    assertEquals(ProcessorConfig.empty(), ProcessorConfig.read(file));
  }

  @Test
  void fallsBackToDeprecatedMaxWorkers() {
    ProcessorConfig config = ProcessorConfig.from(Map.of("spec", Map.of("triggers",
        Map.of("h", Map.of("kind", "http", "maxWorkers", 4)))));
    assertEquals(Optional.of(4), config.workers());
  }

  @Test
  void absentFileSetsNothing() throws IOException {
    assertEquals(ProcessorConfig.empty(), ProcessorConfig.read(dir.resolve("missing.yaml")));
  }

  @Test
  void rejectsBadValues() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "spec:\n  triggers:\n    h:\n      kind: http\n      numWorkers: -1\n");
    IOException e = assertThrows(IOException.class, () -> ProcessorConfig.read(file));
    assertTrue(e.getMessage().contains("numWorkers"), e.getMessage());
    Files.writeString(file, "spec:\n  eventTimeout: soon\n");
    assertThrows(IOException.class, () -> ProcessorConfig.read(file));
    Files.writeString(file, "spec: [unclosed\n");
    assertThrows(IOException.class, () -> ProcessorConfig.read(file));
  }

  @CvatFunction(name = "x", description = "x", model = "x", workers = 5, eventTimeout = "12s", maxRequestBodySize = 999)
  static class Annotated {}

  @Test
  void settingsPreferPropertiesThenNuclioThenTheAnnotation() {
    ProcessorConfig nuclio = new ProcessorConfig(Optional.of(2), Optional.empty(), Optional.empty(),
        Optional.of(Duration.ofSeconds(7)), Optional.empty());
    ServerSettings fromNuclio = ServerSettings.resolve(Annotated.class, nuclio, name -> null);
    assertEquals(2, fromNuclio.workers());
    assertEquals(Duration.ofSeconds(7), fromNuclio.eventTimeout());
    assertEquals(999, fromNuclio.maxRequestBodySize());
    assertEquals(8080, fromNuclio.port());
    assertEquals("auto", fromNuclio.handlerOptions().device());

    ServerSettings fromAnnotation = ServerSettings.resolve(Annotated.class, ProcessorConfig.empty(), name -> null);
    assertEquals(5, fromAnnotation.workers());
    assertEquals(Duration.ofSeconds(12), fromAnnotation.eventTimeout());

    Map<String, String> props = Map.of("cvat.port", "9000", "cvat.workers", "6", "cvat.device", "cpu",
        "cvat.model", "/m.torchscript");
    ServerSettings fromProps = ServerSettings.resolve(Annotated.class, nuclio, props::get);
    assertEquals(9000, fromProps.port());
    assertEquals(6, fromProps.workers());
    assertEquals("cpu", fromProps.handlerOptions().device());
    assertEquals(Optional.of("/m.torchscript"), fromProps.handlerOptions().modelOverride());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerSettings.resolve(Annotated.class, nuclio, Map.of("cvat.port", "eighty")::get));
    assertTrue(e.getMessage().contains("cvat.port"), e.getMessage());
  }

  @Test
  void batchesAsManyAsTheWorkersUpToEightOnAGpuOneOnTheCpuUnlessSet() {
    ProcessorConfig nuclio = new ProcessorConfig(Optional.of(4), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
    HandlerOptions byDefault = ServerSettings.resolve(Annotated.class, nuclio, name -> null).handlerOptions();
    assertEquals(4, byDefault.maxBatch(true));
    assertEquals(1, byDefault.maxBatch(false));
    HandlerOptions sixteen = ServerSettings.resolve(Annotated.class, nuclio, Map.of("cvat.workers", "16")::get)
        .handlerOptions();
    assertEquals(8, sixteen.maxBatch(true));
    assertEquals(1, sixteen.maxBatch(false));
    HandlerOptions sixteenSet = ServerSettings.resolve(Annotated.class, nuclio,
        Map.of("cvat.workers", "16", "cvat.batch", "16")::get).handlerOptions();
    assertEquals(16, sixteenSet.maxBatch(true));

    HandlerOptions set = ServerSettings.resolve(Annotated.class, nuclio, Map.of("cvat.batch", "3")::get)
        .handlerOptions();
    assertEquals(3, set.maxBatch(true));
    assertEquals(3, set.maxBatch(false));

    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> ServerSettings.resolve(Annotated.class, nuclio, Map.of("cvat.batch", "0")::get));
    assertEquals("cvat.batch must be at least 1 (1: one request per forward pass), got 0", zero.getMessage());
    IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
        () -> ServerSettings.resolve(Annotated.class, nuclio, Map.of("cvat.batch", "many")::get));
    assertEquals("cvat.batch must be an integer, got 'many'", word.getMessage());
  }

  @Test
  void environmentNamesFollowTheProperties() {
    assertEquals("CVAT_HEALTH_PORT", ServerSettings.envName("cvat.healthPort"));
    assertEquals("CVAT_MODEL", ServerSettings.envName("cvat.model"));
    assertEquals("CVAT_MAX_IMAGE_PIXELS", ServerSettings.envName("cvat.maxImagePixels"));
  }
}
