package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values come from Ultralytics' LetterBox and scale_boxes formulas evaluated in Python. */
class LetterBoxTest {

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({
      // w, h, resizedW, resizedH, top, bottom, left, right, padX, padY
      "1920, 1080, 640, 360, 140, 140, 0, 0, 0, 140",
      "1080, 1920, 360, 640, 0, 0, 140, 140, 140, 0",
      "640, 480, 640, 480, 80, 80, 0, 0, 0, 80",
      "4000, 3000, 640, 480, 80, 80, 0, 0, 0, 80",
      "641, 479, 640, 478, 81, 81, 0, 0, 0, 81",
      "333, 777, 274, 640, 0, 0, 183, 183, 183, 0",
      "639, 1, 640, 1, 319, 320, 0, 0, 0, 319",
      "640, 640, 640, 640, 0, 0, 0, 0, 0, 0",
      "100, 50, 640, 320, 160, 160, 0, 0, 0, 160",
      // Python rounds half to even: 2.5 -> 2, 3.5 -> 4, 1.5 -> 2.
      "1280, 5, 640, 2, 319, 319, 0, 0, 0, 319",
      "1280, 7, 640, 4, 318, 318, 0, 0, 0, 318",
      "1281, 3, 640, 1, 319, 320, 0, 0, 0, 319",
      // Odd padding: the extra row goes to the bottom / right.
      "640, 639, 640, 639, 0, 1, 0, 0, 0, 0",
      "639, 640, 639, 640, 0, 0, 0, 1, 0, 0",
  })
  void matchesUltralytics(int w, int h, int rw, int rh, int top, int bottom, int left, int right, int padX, int padY) {
    LetterBox box = LetterBox.of(w, h, 640, 640);
    assertEquals(rw, box.resizedWidth());
    assertEquals(rh, box.resizedHeight());
    assertEquals(top, box.top());
    assertEquals(bottom, box.bottom());
    assertEquals(left, box.left());
    assertEquals(right, box.right());
    assertEquals(640, box.resizedWidth() + box.left() + box.right());
    assertEquals(640, box.resizedHeight() + box.top() + box.bottom());
    assertEquals(padX, box.padX());
    assertEquals(padY, box.padY());
  }

  @Test
  void nonSquareInput() {
    LetterBox box = LetterBox.of(1920, 1080, 320, 256);
    assertEquals(320, box.resizedWidth());
    assertEquals(180, box.resizedHeight());
    assertEquals(38, box.top());
    assertEquals(38, box.bottom());
  }

  @Test
  void mapsBoxesBackAndClips() {
    LetterBox box = LetterBox.of(1920, 1080, 640, 640);
    float[] boxes = {100, 150, 300, 400, 7, -10, 130, 700, 600, 9};
    box.mapToFrame(boxes, 2, 5);
    assertArrayEquals(new float[] {300, 30, 900, 780, 7, 0, 0, 1920, 1080, 9}, boxes, 1e-3f);
  }

  @Test
  void mapsPointsBackAndClipsToTheFrameEdgeAsBoxes() {
    LetterBox box = LetterBox.of(1920, 1080, 640, 640);
    // Skips the first float; clips as clip_coords does, to [0, width] and [0, height], not to the last pixel.
    float[] points = {-1, 100, 150, 640, 500, -5, 139, 9};
    box.mapPointsToFrame(points, 1, 3);
    assertArrayEquals(new float[] {-1, 300, 30, 1920, 1080, 0, 0, 9}, points, 1e-3f);
  }

  @Test
  void rejectsEmptyFrames() {
    assertThrows(IllegalArgumentException.class, () -> LetterBox.of(0, 10, 640, 640));
  }
}
