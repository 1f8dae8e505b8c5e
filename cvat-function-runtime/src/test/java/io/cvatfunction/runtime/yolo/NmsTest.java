package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class NmsTest {

  @Test
  void suppressesOverlapsOfTheSameClassOnly() {
    float[] boxes = {
        0, 0, 100, 100,    // 0: best
        5, 5, 105, 105,    // 1: IoU 0.82 with 0, same class -> dropped
        5, 5, 105, 105,    // 2: same box, other class -> kept
        200, 200, 300, 300 // 3: far away -> kept
    };
    float[] scores = {0.9f, 0.8f, 0.7f, 0.6f};
    int[] classes = {0, 0, 1, 0};
    assertArrayEquals(new int[] {0, 2, 3}, Nms.run(boxes, scores, classes, 4, 0.7f, 30_000, 300));
  }

  @Test
  void keepsBoxesAtOrBelowTheThreshold() {
    // IoU of the two boxes is 50 * 100 / (100 * 100 + 100 * 100 - 5000) = 1/3.
    float[] boxes = {0, 0, 100, 100, 50, 0, 150, 100};
    float[] scores = {0.5f, 0.9f};
    int[] classes = {0, 0};
    assertArrayEquals(new int[] {1, 0}, Nms.run(boxes, scores, classes, 2, 0.7f, 30_000, 300));
    assertArrayEquals(new int[] {1}, Nms.run(boxes, scores, classes, 2, 0.3f, 30_000, 300));
  }

  @Test
  void capsCandidatesAndKeptBoxes() {
    int n = 10;
    float[] boxes = new float[4 * n];
    float[] scores = new float[n];
    int[] classes = new int[n];
    for (int i = 0; i < n; i++) {
      boxes[4 * i] = i * 200;
      boxes[4 * i + 2] = i * 200 + 100;
      boxes[4 * i + 3] = 100;
      scores[i] = i / 10f;
    }
    assertArrayEquals(new int[] {9, 8, 7}, Nms.run(boxes, scores, classes, n, 0.7f, 30_000, 3));
    assertArrayEquals(new int[] {9, 8}, Nms.run(boxes, scores, classes, n, 0.7f, 2, 300));
  }

  @Test
  void handlesNoCandidates() {
    assertArrayEquals(new int[0], Nms.run(new float[0], new float[0], new int[0], 0, 0.7f, 30_000, 300));
  }
}
