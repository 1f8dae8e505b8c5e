package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.TestDetectors;
import io.cvatfunction.runtime.cvat.ConfidenceAttribute;
import io.cvatfunction.runtime.cvat.LabelSpec;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The labels a function will answer with, read from its model file before it loads (what {@code cvat:annotate} checks
 * a task with first), are the labels the loaded function gives, for a model of every task and for labels renamed,
 * dropped or given attributes.
 */
class LabelSpecsBeforeLoadTest {

  private static final LabelSpec.AttributeSpec CONFIDENCE =
      new LabelSpec.AttributeSpec("confidence", "number", ConfidenceAttribute.VALUES);

  @ParameterizedTest
  @ValueSource(classes = {TestDetectors.ShapesYolov8n.class, TestDetectors.ShapesYolo26n.class,
      TestDetectors.ShapesSeg.class, TestDetectors.ShapesSegPolygons.class, TestDetectors.ShapesPose.class,
      TestDetectors.ShapesObb.class, TestDetectors.ShapesCls.class, TestDetectors.RenamedShapes.class,
      TestDetectors.ScoredShapes.class})
  void areTheLabelsTheLoadedFunctionGives(Class<? extends YoloDetector> type) throws Exception {
    try (YoloDetector detector = type.getDeclaredConstructor().newInstance()) {
      List<LabelSpec> before = detector.labelSpecs(HandlerOptions.cpu());
      detector.load(HandlerOptions.cpu());
      assertEquals(detector.labelSpecs(), before);
    }
  }

  @Test
  void sayWhatTheyAre() throws Exception {
    List<String> keypoints = List.of("tip", "tail", "left", "right");
    assertEquals(List.of(new LabelSpec("arrow", "skeleton", List.of(CONFIDENCE), keypoints),
        new LabelSpec("kite", "skeleton", List.of(CONFIDENCE), keypoints)),
        new TestDetectors.ShapesPose().labelSpecs(HandlerOptions.cpu()));
    assertEquals(List.of(new LabelSpec("ball", "rectangle", List.of(new LabelSpec.AttributeSpec("size", "select",
        List.of("small", "large"))), List.of()), new LabelSpec("triangle", "rectangle", List.of(), List.of())),
        new TestDetectors.RenamedShapes().labelSpecs(HandlerOptions.cpu()));
  }

  @Test
  void aModelThatCannotBeFoundIsTheErrorLoadingWouldGive() {
    HandlerOptions missing = new HandlerOptions("cpu", Optional.of("/no/such/best.torchscript"),
        HandlerOptions.DEFAULT_MAX_IMAGE_PIXELS, "auto", 1, OptionalInt.empty(), HandlerOptions.DEFAULT_PASS_TIMEOUT);
    IOException e = assertThrows(IOException.class, () -> new TestDetectors.ShapesYolov8n().labelSpecs(missing));
    assertTrue(e.getMessage().contains("/no/such/best.torchscript does not exist"), e.getMessage());
  }
}
