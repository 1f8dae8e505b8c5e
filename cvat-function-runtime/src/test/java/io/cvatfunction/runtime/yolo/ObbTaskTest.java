package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.runtime.TestManagers;
import io.cvatfunction.runtime.image.LetterBox;
import io.cvatfunction.runtime.image.ModelInput;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The OBB head decoded from hand-made tensors: the threshold, the best class, the angle regularised into [0, π/2)
 * with the sides swapped for a box turned a quarter or more, the box mapped to the frame and clipped as Ultralytics'
 * {@code clip_boxes} clips an {@code xywh} box, and the CVAT rectangle with its rotation in degrees.
 */
class ObbTaskTest {

  private static final List<String> NAMES = List.of("plate", "bar");
  @AutoClose
  private static final NDManager manager = TestManagers.cpu();

  @Test
  void regularisesMapsAndClipsAsUltralytics() {
    // Anchors as columns: cx, cy, w, h, plate, bar, angle.
    float[][] anchors = {
        {320, 320, 100, 40, 0.2f, 0.9f, 2.0f}, // a bar turned past a quarter: sides swapped, 2.0 - π/2
        {100, 200, 50, 20, 0.8f, 0.1f, -0.5f}, // a negative angle: -0.5 mod π = π - 0.5 ≥ π/2, so swapped too
        {400, 300, 900, 60, 0.7f, 0.0f, 0.1f}, // wider than the frame: w clipped to its width
        {500, 500, 40, 40, 0.4f, 0.3f, 0.0f}, // under the threshold
    };
    // 1280×640 frame: gain 0.5, letterboxed 640×320 with 160 rows of padding above.
    LetterBox box = LetterBox.of(1280, 640, 640, 640);
    List<Detection.OrientedBox> found = new ObbTask(NAMES).decode(outputs(anchors), new ModelInput(null, box), 0.5f);

    assertEquals(3, found.size());
    Detection.OrientedBox bar = found.get(0);
    assertEquals("bar", bar.label());
    assertEquals(0.9f, bar.score());
    assertArrayEquals(new float[] {640, 320, 80, 200, (float) (2.0 - Math.PI / 2)},
        new float[] {bar.cx(), bar.cy(), bar.width(), bar.height(), bar.angle()}, 1e-4f);
    Detection.OrientedBox plate = found.get(1);
    assertArrayEquals(new float[] {200, 80, 40, 100, (float) (Math.PI / 2 - 0.5)},
        new float[] {plate.cx(), plate.cy(), plate.width(), plate.height(), plate.angle()}, 1e-4f);
    Detection.OrientedBox wide = found.get(2);
    assertEquals(1280, wide.width(), 1e-4f, "w clipped to the frame's width, as clip_boxes treats xywh");
    assertEquals(120, wide.height(), 1e-4f);

    var shape = new ObbTask(NAMES).shape(bar, "bar", List.of());
    assertEquals("rectangle", shape.type());
    assertArrayEquals(new float[] {600, 220, 680, 420}, shape.points(), 1e-3f);
    assertEquals(Math.toDegrees(2.0 - Math.PI / 2), shape.rotation(), 1e-3);
    assertNull(shape.elements());
  }

  @Test
  void nothingAboveTheThresholdIsNothing() {
    float[][] anchors = {{320, 320, 100, 40, 0.2f, 0.3f, 0.5f}};
    assertEquals(List.of(), new ObbTask(NAMES).decode(outputs(anchors),
        new ModelInput(null, LetterBox.of(640, 640, 640, 640)), 0.5f));
  }

  /** A {@code (1, rows, anchors)} output whose columns are the given anchors. */
  private static NDList outputs(float[][] anchors) {
    int rows = anchors[0].length;
    float[] values = new float[rows * anchors.length];
    for (int a = 0; a < anchors.length; a++) {
      for (int r = 0; r < rows; r++) {
        values[r * anchors.length + a] = anchors[a][r];
      }
    }
    NDArray output = manager.create(values, new Shape(1, rows, anchors.length));
    return new NDList(output);
  }
}
