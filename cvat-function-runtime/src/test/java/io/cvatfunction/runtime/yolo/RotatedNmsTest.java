package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * ProbIoU on boxes whose value is known in closed form, and Ultralytics' "fast NMS", which drops a box overlapped by a
 * higher-scoring box even when that box was itself dropped.
 */
class RotatedNmsTest {

  @Test
  void probIouOfABoxWithItselfIsOneAndOfDistantBoxesZero() {
    float[] box = {100, 100, 80, 30, 0.4f};
    // The distance is clamped to 1e-7, so the same box gives 1 - sqrt(2e-7).
    assertEquals(1 - Math.sqrt(2e-7), RotatedNms.probIou(box, box), 1e-9);
    assertEquals(0, RotatedNms.probIou(box, new float[] {1000, 100, 80, 30, 0.4f}), 1e-6);
  }

  @Test
  void probIouSeesABoxTurnedAQuarterWithItsSidesSwappedAsTheSameBox() {
    float[] box = {50, 60, 80, 30, 0.3f};
    float[] turned = {50, 60, 30, 80, (float) (0.3 + Math.PI / 2)};
    assertEquals(RotatedNms.probIou(box, box), RotatedNms.probIou(box, turned), 1e-6);
    assertTrue(RotatedNms.probIou(box, new float[] {50, 60, 80, 30, (float) (0.3 + Math.PI / 2)}) < 0.5,
        "the same sides turned a quarter cross the box");
  }

  @Test
  void probIouOfShiftedSquaresFollowsItsClosedForm() {
    // Two s×s squares d apart along x: the distance is 1.5 d² / s², the IoU 1 - sqrt(1 - exp(-distance)).
    float[] square = {0, 0, 100, 100, 0};
    for (float d : new float[] {5, 20, 40, 80}) {
      double distance = 1.5 * d * d / (100.0 * 100);
      assertEquals(1 - Math.sqrt(1 - Math.exp(-distance) + 1e-7),
          RotatedNms.probIou(square, new float[] {d, 0, 100, 100, 0}), 1e-6, "d = " + d);
    }
  }

  @Test
  void fastNmsDropsABoxThatOnlyADroppedBoxOverlaps() {
    // ProbIoU 0.76 between neighbours 20 apart, 0.54 between boxes 40 apart: greedy NMS would keep the third box.
    float[] boxes = {0, 0, 100, 100, 0, 20, 0, 100, 100, 0, 40, 0, 100, 100, 0, 20, 0, 100, 100, 0};
    float[] scores = {0.9f, 0.8f, 0.7f, 0.6f};
    int[] classes = {0, 0, 0, 1};
    assertArrayEquals(new int[] {0, 3}, RotatedNms.run(boxes, scores, classes, 4, 0.7f, 30_000, 300),
        "the first box of each class");
  }

  @Test
  void keepsInScoreOrderUpToTheLimits() {
    float[] boxes = {0, 0, 10, 10, 0, 100, 0, 10, 10, 0, 200, 0, 10, 10, 0};
    float[] scores = {0.6f, 0.9f, 0.7f};
    int[] classes = {0, 0, 0};
    assertArrayEquals(new int[] {1, 2, 0}, RotatedNms.run(boxes, scores, classes, 3, 0.7f, 30_000, 300));
    assertArrayEquals(new int[] {1, 2}, RotatedNms.run(boxes, scores, classes, 3, 0.7f, 30_000, 2), "max_det");
    assertArrayEquals(new int[] {1}, RotatedNms.run(boxes, scores, classes, 3, 0.7f, 1, 300), "max_nms");
  }
}
