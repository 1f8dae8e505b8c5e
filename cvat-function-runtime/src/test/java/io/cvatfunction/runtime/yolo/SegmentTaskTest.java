package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.runtime.TestManagers;
import io.cvatfunction.runtime.image.LetterBox;
import io.cvatfunction.runtime.image.ModelInput;
import io.cvatfunction.runtime.image.OpenCv;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Masks from hand-made tensors: one prototype of ones, so an instance with a coefficient of one has its box's crop of
 * ones, bilinearly upsampled — its box and a rim — as its mask, at its own place among the others' and at the
 * input's edges too. The frame is the model input (640×640: no scaling, no padding).
 */
class SegmentTaskTest {

  private static final LetterBox SAME_SIZE = LetterBox.of(640, 640, 640, 640);

  @AutoClose
  private static final NDManager manager = TestManagers.cpu();

  @BeforeAll
  static void open() {
    OpenCv.load(); // the frame's preprocessor loads it when the server runs
  }

  @Test
  void eachInstanceGetsItsOwnBoxsMask() {
    // On whole prototype cells (4 pixels), so the crop is the box.
    float[][] boxes = {
        {0, 0, 64, 48, 1}, // the top-left corner
        {200, 100, 320, 400, 1}, // taller than wide
        {592, 600, 640, 640, 1}, // the bottom-right corner
        {40, 560, 440, 600, 1}, // wider than tall
    };

    List<Detection.Segment> detections = decode(boxes, 0.5f);

    assertEquals(boxes.length, detections.size());
    for (int i = 0; i < boxes.length; i++) {
      float[] box = boxes[i];
      InstanceMask mask = detections.get(i).mask();
      assertArrayEquals(new int[] {(int) box[0], (int) box[1], (int) box[2] - 1, (int) box[3] - 1},
          new int[] {mask.left(), mask.top(), mask.right(), mask.bottom()}, "instance " + i + "'s crop");
      byte[] ones = new byte[mask.bits().length];
      Arrays.fill(ones, (byte) 1);
      assertArrayEquals(ones, mask.bits(), "instance " + i + " fills its box");
      // Upsampled from 4-pixel cells, the mask reaches 2 pixels past the box on each side: x1 - 2 to x2 + 1.
      assertArrayEquals(new float[] {Math.max(0, box[0] - 2), Math.max(0, box[1] - 2), Math.min(639, box[2] + 1),
          Math.min(639, box[3] + 1)}, bounds(mask.polygon()), "instance " + i + "'s outline");
    }
  }

  @Test
  void instancesWithoutPixelsGetEmptyMasks() {
    float[][] boxes = {
        {100, 100, 300, 300, -1}, // negative logits
        {300, 300, 301, 301, 1}, // under half a cell: no cell in the crop
        {100, 100, 90, 90, 1}, // inverted: still a one-pixel crop
        {0, 0, 64, 64, 1}, // after three empty ones: still its own pixels
    };

    List<Detection.Segment> detections = decode(boxes, 0.5f);

    for (int i = 0; i < 3; i++) {
      InstanceMask mask = detections.get(i).mask();
      assertEquals(0, mask.polygon().length, "instance " + i);
      assertArrayEquals(new byte[mask.bits().length], mask.bits(), "instance " + i);
    }
    assertEquals(1, detections.get(2).mask().bits().length);
    assertArrayEquals(new float[] {0, 0, 65, 65}, bounds(detections.get(3).mask().polygon()));
  }

  @Test
  void noInstancesNoMasks() {
    assertEquals(List.of(), decode(new float[][] {{0, 0, 64, 48, 1}}, 0.95f));
  }

  /**
   * Decodes an NMS-free head's rows, score 0.9 and class 0, with one prototype of ones.
   *
   * @param boxes {@code x1, y1, x2, y2} and the mask coefficient, per instance
   */
  private static List<Detection.Segment> decode(float[][] boxes, float threshold) {
    try (NDManager request = manager.newSubManager()) {
      float[] rows = new float[boxes.length * 7];
      for (int i = 0; i < boxes.length; i++) {
        System.arraycopy(boxes[i], 0, rows, 7 * i, 4);
        rows[7 * i + 4] = 0.9f;
        rows[7 * i + 6] = boxes[i][4];
      }
      NDList outputs = new NDList(request.create(rows, new Shape(1, boxes.length, 7)),
          request.ones(new Shape(1, 1, 160, 160)));
      return new SegmentTask(new EndToEndHead(List.of("square")), false)
          .decode(outputs, new ModelInput(outputs.get(0), SAME_SIZE), threshold);
    }
  }

  /** {@code [min x, min y, max x, max y]} of a polygon's vertices. */
  private static float[] bounds(float[] polygon) {
    assertTrue(polygon.length >= 6, "a polygon");
    float[] bounds = {Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
    for (int p = 0; p < polygon.length; p += 2) {
      bounds[0] = Math.min(bounds[0], polygon[p]);
      bounds[1] = Math.min(bounds[1], polygon[p + 1]);
      bounds[2] = Math.max(bounds[2], polygon[p]);
      bounds[3] = Math.max(bounds[3], polygon[p + 1]);
    }
    return bounds;
  }
}
