package io.cvatfunction.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Ultralytics' task names and the CVAT label type each task's results take. */
class YoloTaskTest {

  @Test
  void parsesUltralyticsNamesAndOldExportsWithoutOne() {
    for (YoloTask task : YoloTask.values()) {
      assertEquals(task, YoloTask.parse(task.id()));
    }
    assertEquals(YoloTask.DETECT, YoloTask.parse(""));
    assertEquals(YoloTask.DETECT, YoloTask.parse(null));
    assertEquals("the model's config.txt has an unknown \"task\": 'Detect' (Ultralytics exports detect, segment, pose,"
        + " obb, classify)", assertThrows(IllegalArgumentException.class, () -> YoloTask.parse("Detect")).getMessage());
  }

  @Test
  void eachTaskHasItsCvatLabelType() {
    assertEquals("rectangle", YoloTask.DETECT.labelType(false));
    assertEquals("mask", YoloTask.SEGMENT.labelType(false));
    assertEquals("polygon", YoloTask.SEGMENT.labelType(true));
    assertEquals("skeleton", YoloTask.POSE.labelType(true));
    assertEquals("rectangle", YoloTask.OBB.labelType(false));
    assertEquals("tag", YoloTask.CLASSIFY.labelType(false));
  }
}
