package io.cvatfunction.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.TestDetectors;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionScannerTest {

  static Path fixtureClasses() throws URISyntaxException {
    return Path.of(TestDetectors.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void findsAnnotatedClassesWithoutLoadingThem() throws Exception {
    List<FunctionScanner.Found> found = FunctionScanner.scan(fixtureClasses());
    List<String> names = found.stream().map(FunctionScanner.Found::name).toList();
    assertTrue(names.containsAll(List.of("shapes-yolov8n", "shapes-yolo26n", "renamed-shapes", "scripted")), names.toString());
    FunctionScanner.Found v8 = FunctionScanner.pick(found, "shapes-yolov8n", fixtureClasses());
    assertEquals(TestDetectors.ShapesYolov8n.class.getName(), v8.className());
    assertEquals(v8, FunctionScanner.pick(found, TestDetectors.ShapesYolov8n.class.getName(), fixtureClasses()));
  }

  @Test
  void explainsWhatIsMissingOrAmbiguous(@TempDir Path empty) throws Exception {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> FunctionScanner.pick(FunctionScanner.scan(empty), null, empty));
    assertTrue(none.getMessage().contains("no class annotated with @CvatFunction"), none.getMessage());

    List<FunctionScanner.Found> several = FunctionScanner.scan(fixtureClasses());
    IllegalArgumentException ambiguous = assertThrows(IllegalArgumentException.class,
        () -> FunctionScanner.pick(several, null, empty));
    assertTrue(ambiguous.getMessage().contains("-Dcvat.run.handler"), ambiguous.getMessage());

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> FunctionScanner.pick(several, "nope", empty));
    assertTrue(unknown.getMessage().contains("shapes-yolov8n"), "lists what exists: " + unknown.getMessage());
  }
}
