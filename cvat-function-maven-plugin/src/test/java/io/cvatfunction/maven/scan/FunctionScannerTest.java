package io.cvatfunction.maven.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.TestDetectors;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionScannerTest {

  static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static List<FunctionDescriptor> fixtures() throws URISyntaxException {
    return FunctionScanner.scan(location(TestDetectors.class), location(CvatFunction.class));
  }

  @Test
  void readsEveryMemberWithDefaultsWithoutLoadingClasses() throws Exception {
    List<FunctionDescriptor> found = fixtures();
    List<String> names = found.stream().map(FunctionDescriptor::name).toList();
    assertTrue(names.containsAll(List.of("shapes-yolov8n", "shapes-yolo26n", "renamed-shapes", "scripted")), names.toString());

    FunctionDescriptor renamed =
        FunctionScanner.pick(found, "renamed-shapes", "cvat.run.handler", location(TestDetectors.class));
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
        location(TestDetectors.class));
    assertEquals(4, v8.workers(), "given in the annotation");
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
        () -> FunctionScanner.scan(location(TestDetectors.class), notRuntime));
    assertTrue(e.getMessage().contains("cvat-function-runtime"), e.getMessage());
  }
}
