package io.cvatfunction.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {

  @Test
  void parsesUltralyticsMetadata() {
    ModelMetadata m = ModelMetadata.parse("""
        {"description": "Ultralytics YOLOv8n model", "stride": 32, "task": "detect", "batch": 1,
         "imgsz": [480, 640], "names": {"1": "square", "0": "circle", "2": "triangle"},
         "args": {"batch": 1, "half": false}, "end2end": false}""");
    assertEquals(List.of("circle", "square", "triangle"), m.names());
    assertEquals(640, m.inputWidth());
    assertEquals(480, m.inputHeight());
    assertEquals(32, m.stride());
    assertEquals(YoloTask.DETECT, m.task());
    assertEquals("detect", m.task().id());
    assertEquals(Boolean.FALSE, m.end2end());
    assertEquals(3, m.classCount());
  }

  @Test
  void acceptsOlderForms() {
    ModelMetadata m = ModelMetadata.parse("{\"imgsz\": 320, \"names\": [\"a\", \"b\"], \"task\": \"segment\"}");
    assertEquals(List.of("a", "b"), m.names());
    assertEquals(320, m.inputWidth());
    assertEquals(320, m.inputHeight());
    assertNull(m.end2end(), "older exports do not say; the output shape decides");
    assertEquals(YoloTask.SEGMENT, m.task());
    assertEquals(YoloTask.DETECT, ModelMetadata.parse("{\"imgsz\": 320, \"names\": [\"a\"]}").task(),
        "exports without a task are detect models");
  }

  @Test
  void parsesEveryUltralyticsTaskAndRejectsOthersNamingThem() {
    for (YoloTask task : YoloTask.values()) {
      assertEquals(task, ModelMetadata.parse("{\"imgsz\": 320, \"names\": [\"a\"], \"kpt_shape\": [4, 3], \"task\": \""
          + task.id() + "\"}").task());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelMetadata.parse("{\"imgsz\": 320, \"names\": [\"a\"], \"task\": \"Detect\"}"));
    assertEquals("the model's config.txt has an unknown \"task\": 'Detect' (Ultralytics exports detect, segment,"
        + " pose, obb, classify)", e.getMessage());
  }

  @Test
  void readsAPoseModelsKeypoints() {
    ModelMetadata pose = ModelMetadata.parse("""
        {"imgsz": [640, 640], "task": "pose", "names": {"0": "arrow", "1": "kite"}, "kpt_shape": [4, 3],
         "kpt_names": {"1": ["tip", "tail", "left", "right"]}}""");
    assertEquals(new ModelMetadata.KeypointShape(4, 3), pose.keypoints());
    assertEquals(Map.of(1, List.of("tip", "tail", "left", "right")), pose.keypointNames());
    assertEquals(new ModelMetadata.KeypointShape(17, 2), ModelMetadata.parse(
        "{\"imgsz\": 640, \"task\": \"pose\", \"names\": [\"person\"], \"kpt_shape\": [17, 2]}").keypoints());
    assertNull(ModelMetadata.parse("{\"imgsz\": 640, \"names\": [\"a\"], \"kpt_shape\": [4, 3]}").keypoints(),
        "only a pose model has keypoints");
    for (String shape : List.of("", ", \"kpt_shape\": [4]", ", \"kpt_shape\": [4, 4]", ", \"kpt_shape\": [0, 3]")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelMetadata.parse(
          "{\"imgsz\": 640, \"task\": \"pose\", \"names\": [\"a\"]" + shape + "}"), shape);
      assertTrue(e.getMessage().contains("no usable \"kpt_shape\""), e.getMessage());
    }
  }

  @Test
  void rejectsBrokenMetadata() {
    assertThrows(IllegalArgumentException.class, () -> ModelMetadata.parse("not json"));
    assertThrows(IllegalArgumentException.class, () -> ModelMetadata.parse("{\"imgsz\": 640}"));
    assertThrows(IllegalArgumentException.class, () -> ModelMetadata.parse("{\"names\": {\"0\": \"a\"}}"));
    assertThrows(IllegalArgumentException.class,
        () -> ModelMetadata.parse("{\"imgsz\": 640, \"names\": {\"0\": \"a\", \"2\": \"c\"}}"));
    assertThrows(IllegalArgumentException.class,
        () -> ModelMetadata.parse("{\"imgsz\": 640, \"names\": {\"x\": \"a\"}}"));
  }
}
