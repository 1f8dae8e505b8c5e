package io.cvatfunction.maven.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.nuclio.NuclioException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding and reading the YAMLs cvat:spec wrote. */
class FunctionConfigTest {

  @TempDir
  Path dir;

  private final RecordingLog log = new RecordingLog();

  private String sampleGpuYaml() throws IOException {
    try (InputStream in = FunctionConfigTest.class.getResourceAsStream("/deploy/function-gpu.yaml")) {
      return new String(in.readAllBytes());
    }
  }

  @Test
  void readsTheSampleConfig() throws Exception {
    Files.writeString(dir.resolve("function-gpu.yaml"), sampleGpuYaml());
    List<FunctionConfig> functions = FunctionConfig.locate(dir, true, null, log);
    assertEquals(List.of(new FunctionConfig("shapes-detector", "io.cvatfunction.samples.shapes.ShapesDetector", "java",
        true, dir.resolve("function-gpu.yaml").toAbsolutePath())), functions);
  }

  @Test
  void aFunctionWithoutGpuConfigUsesTheCpuOne() throws Exception {
    Files.writeString(dir.resolve("function.yaml"), sampleGpuYaml().replace("      nvidia.com/gpu: 1\n", ""));
    FunctionConfig function = FunctionConfig.locate(dir, true, null, log).get(0);
    assertEquals("function.yaml", function.file().getFileName().toString());
    assertFalse(function.gpu());
    assertTrue(log.all().get(0).contains("deploying function.yaml"), log.all().toString());
  }

  @Test
  void severalFunctionsAreFoundInTheirDirectoriesAndOneCanBePicked() throws Exception {
    for (String name : List.of("cats", "dogs")) {
      Path sub = Files.createDirectories(dir.resolve(name));
      Files.writeString(sub.resolve("function-gpu.yaml"), sampleGpuYaml().replace("name: shapes-detector",
          "name: " + name));
    }
    assertEquals(List.of("cats", "dogs"),
        FunctionConfig.locate(dir, true, null, log).stream().map(FunctionConfig::name).toList());
    assertEquals("dogs", FunctionConfig.locate(dir, true, "dogs", log).get(0).name());
    String message = assertThrows(NuclioException.class, () -> FunctionConfig.locate(dir, true, "birds", log))
        .getMessage();
    assertEquals("cvat.deploy.function 'birds' is none of this project's functions: cats, dogs", message);
  }

  @Test
  void noConfigSaysToRunCvatSpecFirst() {
    String message = assertThrows(NuclioException.class, () -> FunctionConfig.locate(dir, true, null, log))
        .getMessage();
    assertTrue(message.contains(": run cvat:spec first"), message);
  }

  @Test
  void aConfigThatWouldMakeNuclioBuildIsRefused() throws Exception {
    Path file = dir.resolve("function-gpu.yaml");
    Files.writeString(file, sampleGpuYaml().replace("  runtime: java\n",
        "  runtime: java\n  build:\n    image: cvat.shapes\n"));
    String message = assertThrows(NuclioException.class, () -> FunctionConfig.read(file)).getMessage();
    assertTrue(message.endsWith("sets spec.build.image, which makes Nuclio build an image of its own instead of "
        + "deploying the one cvat:image built: remove it (cvat:spec never writes it)"), message);
  }

  @Test
  void aConfigForAnotherRuntimeOrWithoutHandlerIsRefused() throws Exception {
    Path file = dir.resolve("function-gpu.yaml");
    Files.writeString(file, sampleGpuYaml().replace("runtime: java", "runtime: python:3.9"));
    assertTrue(assertThrows(NuclioException.class, () -> FunctionConfig.read(file)).getMessage()
        .startsWith("spec.runtime is 'python:3.9', but cvat-function images run the java runtime"));
    Files.writeString(file, sampleGpuYaml().replaceAll("  handler: .*\n", ""));
    assertTrue(assertThrows(NuclioException.class, () -> FunctionConfig.read(file)).getMessage()
        .startsWith("no spec.handler"));
    Files.writeString(file, sampleGpuYaml().replace("name: shapes-detector", "name: shapes_detector#gpu"));
    assertTrue(assertThrows(NuclioException.class, () -> FunctionConfig.read(file)).getMessage()
        .startsWith("metadata.name 'shapes_detector#gpu' is not a valid Nuclio function name"));
  }
}
