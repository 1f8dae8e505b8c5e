package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
    assertEquals(Task.DETECT, m.task());
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
    assertTrue(m.isSegmentation());
    assertEquals(Task.DETECT, ModelMetadata.parse("{\"imgsz\": 320, \"names\": [\"a\"]}").task(),
        "exports without a task are detect models");
  }

  @Test
  void parsesEveryUltralyticsTaskAndRejectsOthersNamingThem() {
    for (Task task : Task.values()) {
      assertEquals(task, ModelMetadata.parse("{\"imgsz\": 320, \"names\": [\"a\"], \"task\": \"" + task.id() + "\"}")
          .task());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelMetadata.parse("{\"imgsz\": 320, \"names\": [\"a\"], \"task\": \"Detect\"}"));
    assertEquals("the model's config.txt has an unknown \"task\": 'Detect' (Ultralytics exports detect, segment,"
        + " pose, obb, classify)", e.getMessage());
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
