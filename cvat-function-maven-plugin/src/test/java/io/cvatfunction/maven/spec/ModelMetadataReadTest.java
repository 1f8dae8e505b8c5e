package io.cvatfunction.maven.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.contract.YoloTask;
import io.cvatfunction.runtime.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ModelMetadata#read} finds in a TorchScript file (the rule the runtime and {@code cvat:spec} share,
 * tested here beside the fixture exports): label ids 0..n-1 without gaps, the task, a pose model's keypoints; on the
 * real fixture exports of each task, and refused as the runtime refuses it.
 */
class ModelMetadataReadTest {

  @TempDir
  Path dir;

  @Test
  void readsNamesByIdInIdOrder() throws IOException {
    ModelMetadata info =
        ModelMetadata.read(torchScript("{\"task\": \"segment\", \"names\": {\"1\": \"b\", \"0\": \"a\"}}"));
    assertEquals(List.of("a", "b"), info.names());
    assertEquals(YoloTask.SEGMENT, info.task());
  }

  @Test
  void readsTheTaskOfEachRealExport() throws IOException {
    assertTask(YoloTask.DETECT, List.of("circle", "square", "triangle"), fixture("shapes-yolov8n"));
    assertTask(YoloTask.SEGMENT, List.of("circle", "square", "triangle"), fixture("shapes-yolov8n-seg"));
    assertTask(YoloTask.OBB, List.of("plate", "bar", "card"), fixture("shapes-yolov8n-obb"));
    assertTask(YoloTask.CLASSIFY, List.of("circle", "square", "triangle"), fixture("shapes-yolov8n-cls"));
    ModelMetadata pose = fixture("shapes-yolov8n-pose");
    assertTask(YoloTask.POSE, List.of("arrow", "kite"), pose);
    assertEquals(new ModelMetadata.KeypointShape(4, 3), pose.keypoints(), "kpt_shape [4, 3]");
    assertEquals(Map.of(), pose.keypointNames(), "an 8.3.111 export has no kpt_names");
  }

  private static void assertTask(YoloTask task, List<String> names, ModelMetadata model) {
    assertEquals(task, model.task());
    assertEquals(names, model.names());
  }

  @Test
  void readsAPoseModelsKeypointNamesByClass() throws IOException {
    ModelMetadata info = ModelMetadata.read(torchScript("{\"task\": \"pose\", \"names\": {\"0\": \"hand\"}, "
        + "\"kpt_shape\": [2, 2], \"kpt_names\": {\"0\": [\"thumb\", \"wrist\"]}}"));
    assertEquals(2, info.keypoints().count());
    assertEquals(Map.of(0, List.of("thumb", "wrist")), info.keypointNames());
    assertEquals(YoloTask.DETECT, ModelMetadata.read(torchScript("{\"names\": [\"a\"]}")).task(), "no task: detect");
  }

  @Test
  void refusesWhatTheRuntimeRefuses() throws IOException {
    for (String shape : List.of("", ", \"kpt_shape\": [4]", ", \"kpt_shape\": [4, 5]", ", \"kpt_shape\": [0, 3]",
        ", \"kpt_shape\": \"4x3\"")) {
      Path model = torchScript("{\"task\": \"pose\", \"names\": [\"a\"]" + shape + "}");
      IOException e = assertThrows(IOException.class, () -> ModelMetadata.read(model), shape);
      assertTrue(e.getMessage().contains("the pose model's config.txt has no usable \"kpt_shape\" ([keypoints, 2 or"
          + " 3])"), e.getMessage());
    }
    Path unknownTask = torchScript("{\"task\": \"depth\", \"names\": [\"a\"]}");
    IOException task = assertThrows(IOException.class, () -> ModelMetadata.read(unknownTask));
    assertTrue(task.getMessage().contains("unknown \"task\": 'depth'"), task.getMessage());
    Path badNames = torchScript("{\"task\": \"pose\", \"names\": [\"a\"], \"kpt_shape\": [1, 3],"
        + " \"kpt_names\": {\"zero\": [\"tip\"]}}");
    IOException names = assertThrows(IOException.class, () -> ModelMetadata.read(badNames));
    assertTrue(names.getMessage().contains("\"kpt_names\" has a non-numeric class id 'zero'"), names.getMessage());
  }

  private ModelMetadata fixture(String name) throws IOException {
    Path file = dir.resolve(name + ".torchscript");
    Files.write(file, Fixtures.resource("fixtures/models/" + name + ".torchscript"));
    return ModelMetadata.read(file);
  }

  @Test
  void refusesAGapInTheIdsAsTheRuntimeDoes() throws IOException {
    Path model = torchScript("{\"names\": {\"0\": \"a\", \"2\": \"c\"}}");
    IOException e = assertThrows(IOException.class, () -> ModelMetadata.read(model));
    assertTrue(e.getMessage().contains("\"names\" skips class id 1, so the runtime would refuse this model"),
        e.getMessage());
  }

  /** A TorchScript file whose config.txt is {@code config} with an {@code imgsz} of 640 first. */
  private Path torchScript(String config) throws IOException {
    config = "{\"imgsz\": 640, " + config.substring(1);
    Path file = dir.resolve("model.torchscript");
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("model/extra/config.txt"));
      zip.write(config.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return file;
  }
}
