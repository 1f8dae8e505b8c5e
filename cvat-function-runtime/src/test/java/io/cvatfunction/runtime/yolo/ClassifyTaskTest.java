package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.runtime.TestManagers;
import io.cvatfunction.runtime.image.CenterCrop;
import io.cvatfunction.runtime.image.ModelInput;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The top class of a classifier's probabilities, kept at or above the threshold as CVAT's own function keeps it. */
class ClassifyTaskTest {

  private static final ClassifyTask TASK = new ClassifyTask(List.of("circle", "square", "triangle"));
  @AutoClose
  private static final NDManager manager = TestManagers.cpu();

  @Test
  void theMostProbableClassAtOrAboveTheThreshold() {
    assertEquals(List.of(new Detection.Classification(1, "square", 0.5f)), decode(0.5f, 0.2f, 0.5f, 0.3f));
    assertEquals(List.of(), decode(0.51f, 0.2f, 0.5f, 0.3f));
    assertEquals(List.of(new Detection.Classification(0, "circle", 0.4f)), decode(0f, 0.4f, 0.4f, 0.2f),
        "a tie goes to the first class, as argmax");
    assertEquals(0f, TASK.defaultThreshold(), "one tag a frame when the request sends no threshold");
    assertEquals("tag", TASK.shape(decode(0, 0.1f, 0.1f, 0.8f).get(0), "triangle", List.of()).type());
  }

  @Test
  void refusesOutputsThatDoNotFitTheClasses() {
    assertThrows(IllegalStateException.class, () -> decode(0, 0.5f, 0.5f));
  }

  private static List<Detection.Classification> decode(float threshold, float... probabilities) {
    NDList outputs = new NDList(manager.create(probabilities, new Shape(1, probabilities.length)));
    return TASK.decode(outputs, new ModelInput(null, CenterCrop.of(96, 96, 96)), threshold);
  }
}
