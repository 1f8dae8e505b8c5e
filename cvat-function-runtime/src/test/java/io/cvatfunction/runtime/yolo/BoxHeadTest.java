package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.runtime.FunctionAnnotation;
import io.cvatfunction.runtime.TestManagers;
import io.cvatfunction.runtime.image.LetterBox;
import io.cvatfunction.runtime.image.ModelInput;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Both head layouts decoded from hand-made tensors, and the task and head a model's metadata chooses. */
class BoxHeadTest {

  private static final List<String> THREE_CLASSES = List.of("circle", "square", "triangle");

  @AutoClose
  private static final NDManager manager = TestManagers.cpu();

  @Test
  void rawHeadTakesTheBestClassThresholdsAndSuppresses() {
    // (1, 4 + 2 classes + 1 extra value, 5 anchors), one column per anchor: cx, cy, w, h, cls0, cls1, extra.
    float[][] anchors = {
        {50, 50, 20, 20, 0.9f, 0.1f, 7},   // kept: class 0
        {51, 50, 20, 20, 0.8f, 0.2f, 7},   // same object, class 0, IoU > 0.7: suppressed
        {51, 50, 20, 20, 0.1f, 0.6f, 7},   // same place, class 1: kept
        {200, 100, 40, 10, 0.3f, 0.2f, 7}, // below the threshold
        {300, 300, 10, 30, 0.2f, 0.5f, 7}, // exactly at the threshold: Ultralytics keeps only > conf
    };
    float[] data = new float[7 * 5];
    for (int a = 0; a < 5; a++) {
      for (int row = 0; row < 7; row++) {
        data[row * 5 + a] = anchors[a][row];
      }
    }
    NDArray output = manager.create(data, new Shape(1, 7, 5));
    Boxes boxes = new RawDetectHead(List.of("a", "b")).boxes(output, 0.5f);
    assertEquals(2, boxes.count());
    assertArrayEquals(new int[] {0, 1}, boxes.classes());
    assertArrayEquals(new float[] {0.9f, 0.6f}, boxes.scores());
    assertArrayEquals(new float[] {40, 40, 60, 60, 41, 40, 61, 60}, boxes.boxes());
  }

  @Test
  void endToEndHeadFiltersByScoreWithoutNms() {
    NDArray output = manager.create(new float[] {
        10, 10, 50, 50, 0.95f, 2,
        12, 10, 52, 50, 0.90f, 2, // overlaps the first, same class: an NMS-free head keeps both
        0, 0, 5, 5, 0.40f, 0,
        0, 0, 0, 0, 0.00f, 0,     // padding row
    }, new Shape(1, 4, 6));
    Boxes boxes = new EndToEndHead(THREE_CLASSES).boxes(output, 0.5f);
    assertEquals(2, boxes.count());
    assertArrayEquals(new int[] {2, 2}, boxes.classes());
    assertArrayEquals(new float[] {10, 10, 50, 50, 12, 10, 52, 50}, boxes.boxes());
    assertEquals(3, new EndToEndHead(THREE_CLASSES).boxes(output, 0.1f).count());
  }

  @Test
  void recognisesEndToEndOutputsByShape() {
    assertTrue(EndToEndHead.looksEndToEnd(new Shape(1, 300, 6)));
    assertFalse(EndToEndHead.looksEndToEnd(new Shape(1, 7, 8400)));
    assertFalse(EndToEndHead.looksEndToEnd(new Shape(1, 6, 8400)));
  }

  @Test
  void decodesToNamedDetectionsInFramePixelsAndDropsUnknownClasses() {
    NDArray output = manager.create(new float[] {
        100, 150, 300, 400, 0.9f, 1,
        10, 150, 20, 160, 0.8f, 7, // a class id the model has no name for
    }, new Shape(1, 2, 6));
    List<Detection.Box> detections = new DetectTask(new EndToEndHead(THREE_CLASSES))
        .decode(new NDList(output), new ModelInput(output, LetterBox.of(1920, 1080, 640, 640)), 0.5f);
    assertEquals(1, detections.size());
    Detection.Box square = detections.get(0);
    assertEquals(1, square.classId());
    assertEquals("square", square.label());
    assertEquals(0.9f, square.score());
    assertArrayEquals(new float[] {300, 30, 900, 780},
        new float[] {square.x1(), square.y1(), square.x2(), square.y2()}, 1e-3f);
  }

  @Test
  void metadataChoosesTheTaskAndHeadOnce() throws Exception {
    assertInstanceOf(RawDetectHead.class, ((DetectTask) task(metadata("detect", false), this::noForwardPass)).head());
    assertInstanceOf(EndToEndHead.class, ((DetectTask) task(metadata("detect", true), this::noForwardPass)).head());
    // Older exports do not say: the first output's shape decides.
    assertInstanceOf(EndToEndHead.class,
        ((DetectTask) task(metadata("detect", null), () -> new Shape(1, 300, 6))).head());
    assertInstanceOf(RawDetectHead.class,
        ((DetectTask) task(metadata("detect", null), () -> new Shape(1, 7, 8400))).head());
    assertInstanceOf(SegmentTask.class, task(metadata("segment", false), this::noForwardPass));
    assertInstanceOf(ObbTask.class, task(metadata("obb", false), this::noForwardPass));
    assertInstanceOf(ClassifyTask.class, task(metadata("classify", null), this::noForwardPass));
    assertInstanceOf(PoseTask.class, task(ModelMetadata.parse("{\"imgsz\": 640, \"names\": [\"person\"], \"task\":"
        + " \"pose\", \"end2end\": false, \"kpt_shape\": [17, 3]}"), this::noForwardPass));
  }

  @Test
  void refusesAnEndToEndObbHeadNamingIt() {
    MalformedModelException e = assertThrows(MalformedModelException.class,
        () -> task(metadata("obb", true), this::noForwardPass));
    assertTrue(e.getMessage().contains("NMS-free (end2end) OBB export"), e.getMessage());
  }

  /** The task for a model, with the default function settings and no file beside the model. */
  static TaskDecoder<?> task(ModelMetadata metadata, Supplier<Shape> outputShape)
      throws MalformedModelException, IOException {
    return TaskDecoder.of(new TaskContext(metadata, outputShape, FunctionAnnotation.of(Object.class),
        name -> Optional.empty()));
  }

  private Shape noForwardPass() {
    throw new AssertionError("the metadata says which head it is: no forward pass needed");
  }

  private static ModelMetadata metadata(String task, Boolean end2end) {
    return ModelMetadata.parse("{\"imgsz\": 640, \"names\": [\"circle\", \"square\", \"triangle\"], \"task\": \""
        + task + "\"" + (end2end == null ? "" : ", \"end2end\": " + end2end) + "}");
  }
}
