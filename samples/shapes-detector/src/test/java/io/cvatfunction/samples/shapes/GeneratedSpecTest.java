package io.cvatfunction.samples.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** cvat:spec ran in process-classes: its YAMLs are exactly the reviewed ones, labels from the model. */
class GeneratedSpecTest {

  @ParameterizedTest
  @ValueSource(strings = {"function-gpu.yaml", "function.yaml"})
  void matchesTheGoldenFile(String name) throws IOException {
    String generated = Files.readString(Path.of("target", "cvat", name), StandardCharsets.UTF_8);
    try (InputStream golden = getClass().getResourceAsStream("/expected/" + name)) {
      assertEquals(new String(golden.readAllBytes(), StandardCharsets.UTF_8), generated);
    }
  }
}
