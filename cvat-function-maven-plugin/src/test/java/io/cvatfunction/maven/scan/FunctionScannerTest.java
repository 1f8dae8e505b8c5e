package io.cvatfunction.maven.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.spec.CompiledProject;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.TestDetectors;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionScannerTest {

  static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @TempDir
  static Path detectors;

  /**
   * Copies the runtime's fixture detectors, and only them, out of its test classes: those hold handlers of no CVAT
   * kind too (a bare CvatHandler for the server's tests), which the scanner refuses.
   */
  @BeforeAll
  static void copyTheFixtureDetectors() throws Exception {
    Path source = location(TestDetectors.class);
    try (FileSystem jar = Files.isDirectory(source) ? null : FileSystems.newFileSystem(source)) {
      Path dir = (jar == null ? source : jar.getPath("/")).resolve("io/cvatfunction/runtime");
      Path target = Files.createDirectories(detectors.resolve("io/cvatfunction/runtime"));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.getFileName().toString().startsWith("TestDetectors")).toList()) {
          Files.copy(file, target.resolve(file.getFileName().toString()));
        }
      }
    }
  }

  static List<FunctionDescriptor> fixtures() throws URISyntaxException {
    return FunctionScanner.scan(detectors, location(CvatFunction.class));
  }

  @Test
  void readsEveryMemberWithDefaultsWithoutLoadingClasses() throws Exception {
    List<FunctionDescriptor> found = fixtures();
    List<String> names = found.stream().map(FunctionDescriptor::name).toList();
    assertTrue(names.containsAll(List.of("shapes-yolov8n", "shapes-yolo26n", "renamed-shapes", "scored-shapes")),
        names.toString());

    FunctionDescriptor renamed =
        FunctionScanner.pick(found, "renamed-shapes", "cvat.run.handler", detectors);
    assertEquals(TestDetectors.RenamedShapes.class.getName(), renamed.className());
    assertEquals("Balls and triangles", renamed.description());
    assertEquals("detector", renamed.kind());
    assertEquals("", renamed.displayName(), "default");
    assertEquals(1, renamed.gpus(), "default");
    assertEquals(2, renamed.workers(), "default");
    assertEquals("30s", renamed.eventTimeout(), "default");
    assertEquals(33_554_432L, renamed.maxRequestBodySize(), "default");
    assertEquals(Map.of(), renamed.env());
    assertEquals(List.of(
        new FunctionDescriptor.LabelOverride("circle", "ball", false, List.of(
            new FunctionDescriptor.AttributeSpec("size", "select", List.of("small", "large"), ""))),
        new FunctionDescriptor.LabelOverride("square", "", true, List.of())), renamed.labels());

    FunctionDescriptor v8 = FunctionScanner.pick(found, TestDetectors.ShapesYolov8n.class.getName(), "cvat.run.handler",
        detectors);
    assertEquals(4, v8.workers(), "given in the annotation");
  }

  @Test
  void readsTheKindFromTheClassAndThePoseMembers(@TempDir Path dir) throws Exception {
    CompiledProject project = new CompiledProject(dir).compile(Map.of(
        "com.example.Pose", """
            package com.example;
            @io.cvatfunction.runtime.CvatFunction(name = "pose", description = "d", model = "m",
                keypoints = {"tip", "tail"}, edges = "tip - tail", keypointThreshold = 0.25f)
            public class Pose extends Base {}
            """,
        "com.example.Base", """
            package com.example;
            public abstract class Base extends io.cvatfunction.runtime.yolo.YoloDetector {}
            """));
    FunctionDescriptor pose = FunctionScanner.scan(project.classes, project.runtimeJar).get(0);
    assertEquals("detector", pose.kind(), "YoloDetector, two classes up, implements the runtime's Detector");
    assertEquals(List.of("tip", "tail"), pose.keypoints());
    assertEquals(List.of("tip - tail"), pose.edges());
    assertEquals(0.25f, pose.keypointThreshold());

    FunctionDescriptor defaults = FunctionScanner.pick(fixtures(), "renamed-shapes", "cvat.run.handler", dir);
    assertEquals(List.of(), defaults.keypoints());
    assertEquals(List.of(), defaults.edges());
    assertEquals(0.5f, defaults.keypointThreshold(), "default");
  }

  @Test
  void aClassOfNoKindIsRefused(@TempDir Path dir) throws Exception {
    CompiledProject project = new CompiledProject(dir).compile(Map.of("com.example.Plain", """
        package com.example;
        @io.cvatfunction.runtime.CvatFunction(name = "plain", description = "d", model = "m")
        public class Plain {}
        """));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FunctionScanner.scan(project.classes, project.runtimeJar));
    assertEquals("com.example.Plain is annotated with @CvatFunction but serves no CVAT function kind: extend "
        + "YoloDetector (a CVAT detector)", e.getMessage());
  }

  @Test
  void explainsWhatIsMissingOrAmbiguous(@TempDir Path empty) throws Exception {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> FunctionScanner.find(empty, location(CvatFunction.class), null, "cvat.run.handler"));
    assertTrue(none.getMessage().contains("no class annotated with @CvatFunction"), none.getMessage());

    List<FunctionDescriptor> several = fixtures();
    IllegalArgumentException ambiguous = assertThrows(IllegalArgumentException.class,
        () -> FunctionScanner.pick(several, null, "cvat.run.handler", empty));
    assertTrue(ambiguous.getMessage().contains("-Dcvat.run.handler"), ambiguous.getMessage());

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> FunctionScanner.pick(several, "nope", "cvat.run.handler", empty));
    assertTrue(unknown.getMessage().contains("shapes-yolov8n"), "lists what exists: " + unknown.getMessage());
  }

  @Test
  void needsTheRuntimeForDefaults(@TempDir Path notRuntime) throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FunctionScanner.scan(detectors, notRuntime));
    assertTrue(e.getMessage().contains("cvat-function-runtime"), e.getMessage());
  }
}
