package io.cvatfunction.maven.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.deploy.RecordingLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edges cvat:invoke draws between a skeleton's keypoints, from the spec cvat:spec wrote, or why there are none. */
class SkeletonEdgesTest {

  @TempDir
  Path dir;

  private static String skeletonYaml() throws IOException {
    try (InputStream in = SkeletonEdgesTest.class.getResourceAsStream("/lint/skeleton-function-gpu.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Path spec(String relative, String yaml) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, yaml);
  }

  @Test
  void readsEachSkeletonLabelsEdgesAsSublabelNames() throws IOException {
    spec("cvat/function-gpu.yaml", skeletonYaml());
    SkeletonEdges edges = SkeletonEdges.read(dir.resolve("cvat"), null, new RecordingLog());
    assertEquals(Optional.empty(), edges.missing());
    assertEquals(List.of(new SkeletonEdges.Link("wrist", "thumb"), new SkeletonEdges.Link("wrist", "index")),
        edges.of("hand"));
    assertEquals(List.of(), edges.of("foot"), "a label without a skeleton has none");
  }

  @Test
  void saysWhyThereAreNone() throws IOException {
    String without = "skeletons drawn without the lines between their keypoints: ";
    assertEquals(Optional.of(without + "they are in the function YAML cvat:spec writes; run cvat:invoke in the "
        + "function's project, after cvat:spec"), SkeletonEdges.read(null, null, new RecordingLog()).missing());

    String missing = SkeletonEdges.read(dir.resolve("cvat"), null, new RecordingLog()).missing().orElseThrow();
    assertTrue(missing.startsWith(without + "no function-gpu.yaml or function.yaml in " + dir.resolve("cvat")
        + ": run cvat:spec first"), missing);

    spec("cvat/hand/function-gpu.yaml", skeletonYaml());
    spec("cvat/foot/function-gpu.yaml", skeletonYaml().replace("name: hand-pose", "name: foot-pose"));
    assertEquals(Optional.of(without + "this project has several functions (foot-pose, hand-pose): name one with "
        + "-Dcvat.invoke.function=NAME"), SkeletonEdges.read(dir.resolve("cvat"), null, new RecordingLog()).missing());
    assertEquals(2, SkeletonEdges.read(dir.resolve("cvat"), "foot-pose", new RecordingLog()).of("hand").size(),
        "the one named");

    Path broken = spec("other/function-gpu.yaml", skeletonYaml().replace("\"svg\":\"<line", "\"svg\":\"<line <"));
    String unreadable = SkeletonEdges.read(dir.resolve("other"), null, new RecordingLog()).missing().orElseThrow();
    assertTrue(unreadable.startsWith(without + "cannot read the labels of " + broken.toAbsolutePath().normalize()
        + " (the svg is not well-formed markup"), unreadable);
    assertTrue(unreadable.endsWith("); run cvat:spec again"), unreadable);
  }
}
