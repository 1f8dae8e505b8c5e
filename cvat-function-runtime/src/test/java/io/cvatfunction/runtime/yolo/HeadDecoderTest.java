package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both head layouts decoded from hand-made tensors. */
class HeadDecoderTest {

  private static NDManager manager;

  @BeforeAll
  static void open() {
    System.setProperty("ai.djl.offline", "true");
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void close() {
    manager.close();
  }

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
    HeadDecoder.Boxes boxes = HeadDecoder.decodeRaw(output, 2, 0.5f);
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
    HeadDecoder.Boxes boxes = HeadDecoder.decodeEndToEnd(output, 0.5f);
    assertEquals(2, boxes.count());
    assertArrayEquals(new int[] {2, 2}, boxes.classes());
    assertArrayEquals(new float[] {10, 10, 50, 50, 12, 10, 52, 50}, boxes.boxes());
    assertEquals(3, HeadDecoder.decodeEndToEnd(output, 0.1f).count());
  }

  @Test
  void recognisesEndToEndOutputsByShape() {
    assertTrue(HeadDecoder.looksEndToEnd(new Shape(1, 300, 6)));
    assertFalse(HeadDecoder.looksEndToEnd(new Shape(1, 7, 8400)));
    assertFalse(HeadDecoder.looksEndToEnd(new Shape(1, 6, 8400)));
  }
}
