package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * torchvision's {@code Resize(96)} then {@code CenterCrop(96)} on frames of the fixture sizes and on odd ones: the
 * longer side truncated ({@code int(96 · long / short)}), the offsets rounded half to even.
 */
class CenterCropTest {

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({
      "1920, 1080, 170, 96, 37, 0",
      "1080, 1920, 96, 170, 0, 37",
      "640, 480, 128, 96, 16, 0",
      "1024, 1024, 96, 96, 0, 0",
      "96, 96, 96, 96, 0, 0",
      "97, 96, 97, 96, 0, 0", // (97 - 96) / 2 = 0.5 rounds to 0, the even neighbour
      "99, 96, 99, 96, 2, 0", // 1.5 rounds to 2
      "50, 30, 160, 96, 32, 0", // enlarged: 96 · 50 / 30 = 160
      "30, 31, 96, 99, 0, 2"})
  void plansAsTorchvision(int width, int height, int resizedWidth, int resizedHeight, int left, int top) {
    assertEquals(new CenterCrop(width, height, resizedWidth, resizedHeight, left, top, 96),
        CenterCrop.of(width, height, 96));
  }

  @ParameterizedTest
  @CsvSource({"0, 10", "10, 0", "-1, 5"})
  void refusesEmptyFrames(int width, int height) {
    assertThrows(IllegalArgumentException.class, () -> CenterCrop.of(width, height, 96));
  }
}
