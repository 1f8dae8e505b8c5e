package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.contract.Skeleton;
import io.cvatfunction.runtime.TestManagers;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.image.LetterBox;
import io.cvatfunction.runtime.image.ModelInput;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Pose rows decoded from hand-made tensors: keypoints ride along a box, are mapped with the unrounded pads where the
 * box takes the rounded ones, are clipped to the frame but not to their box, and become a skeleton's named elements,
 * outside below the function's threshold.
 */
class PoseTaskTest {

  private static final Skeleton TWO = new Skeleton(List.of("head", "tail"), List.of(new Skeleton.Edge(0, 1)));
  @AutoClose
  private static final NDManager manager = TestManagers.cpu();

  @Test
  void mapsKeypointsWithUnroundedPadsAndMarksUnsureOnesOutside() {
    // 1000×999: gain 0.64, the frame 639.36 rows high, so 0.32 rows of padding above: the box subtracts
    // round(0.32 - 0.1) = 0, the keypoints 0.32.
    LetterBox box = LetterBox.of(1000, 999, 640, 640);
    float[] row = {100, 100, 200, 300, 0.9f, 7, 100, 100, 0.8f, 700, -5, 0.3f};
    NDList outputs = new NDList(manager.create(row, new Shape(1, 1, row.length)));
    PoseTask task = new PoseTask(new EndToEndHead(List.of("a", "b", "c", "d", "e", "f", "g", "h")),
        new ModelMetadata.KeypointShape(2, 3), List.of(TWO, TWO, TWO, TWO, TWO, TWO, TWO, TWO), 0.5f);

    List<Detection.Pose> poses = task.decode(outputs, new ModelInput(null, box), 0.5f);

    assertEquals(1, poses.size());
    Detection.Pose pose = poses.get(0);
    assertEquals("h", pose.label());
    assertArrayEquals(new float[] {156.25f, 156.25f, 312.5f, 468.75f},
        new float[] {pose.x1(), pose.y1(), pose.x2(), pose.y2()}, 1e-3f, "the box, by scale_boxes");
    Detection.Keypoint inside = pose.keypoints().get(0);
    assertArrayEquals(new float[] {156.25f, (100 - 0.32f) / 0.64f, 0.8f},
        new float[] {inside.x(), inside.y(), inside.confidence()}, 1e-3f, "by scale_coords");
    Detection.Keypoint clipped = pose.keypoints().get(1);
    assertArrayEquals(new float[] {1000, 0, 0.3f}, new float[] {clipped.x(), clipped.y(), clipped.confidence()}, 1e-3f,
        "clipped to the frame, not to the box");

    var skeleton = task.shape(pose, "kite", List.of(new ShapeAttribute("confidence", "90")));
    assertEquals("skeleton", skeleton.type());
    assertEquals(0, skeleton.points().length);
    assertEquals(List.of("head", "tail"), skeleton.elements().stream().map(e -> e.label()).toList());
    assertEquals(List.of(false, true), skeleton.elements().stream().map(e -> e.outside()).toList());
    assertArrayEquals(new float[] {1000, 0}, skeleton.elements().get(1).points(), "an outside keypoint keeps its place");
    assertEquals(List.of(new ShapeAttribute("confidence", "90")), skeleton.attributes());
  }

  @Test
  void keypointsWithoutScoresAreAllInside() {
    float[] row = {320, 320, 330, 330, 0.9f, 0, 325, 325, 10, 10};
    PoseTask task = new PoseTask(new EndToEndHead(List.of("a")), new ModelMetadata.KeypointShape(2, 2), List.of(TWO),
        0.5f);
    Detection.Pose pose = task.decode(new NDList(manager.create(row, new Shape(1, 1, row.length))),
        new ModelInput(null, LetterBox.of(640, 640, 640, 640)), 0.5f).get(0);
    assertEquals(List.of(1f, 1f), pose.keypoints().stream().map(Detection.Keypoint::confidence).toList());
    assertTrue(task.shape(pose, "a", List.of()).elements().stream().noneMatch(e -> e.outside()));
  }

  @Test
  void refusesAHeadWhoseRowsDoNotFitTheKeypoints() {
    float[] row = {320, 320, 330, 330, 0.9f, 0, 325, 325, 0.9f};
    PoseTask task = new PoseTask(new EndToEndHead(List.of("a")), new ModelMetadata.KeypointShape(2, 3), List.of(TWO),
        0.5f);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> task.decode(
        new NDList(manager.create(row, new Shape(1, 1, row.length))), new ModelInput(null, LetterBox.of(640, 640, 640,
        640)), 0.5f));
    assertTrue(e.getMessage().contains("3 values per box after its classes, but its kpt_shape"), e.getMessage());
  }

  @Test
  void refusesAThresholdOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> new PoseTask(new EndToEndHead(List.of("a")),
        new ModelMetadata.KeypointShape(2, 3), List.of(TWO), 1.5f));
  }
}
