package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The resize against Pillow's own results, byte for byte: a 53×37 RGB pattern of gradients and sharp edges resized
 * by Pillow 9.4 ({@code Image.fromarray(pattern, "RGB").resize((w, h), Image.BILINEAR)}, the pattern as {@link
 * #pattern} makes it), shrunk, kept and enlarged, and windows of a resize equal to its crops.
 */
class PillowBilinearTest {

  private static final int WIDTH = 53;
  private static final int HEIGHT = 37;

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({
      "13, 9, 20 99 4, 196 152 128, 218 121 151, f25673f9944ea6638e5260811a988257ab830281ac33d5d96d108682b6d749c1",
      "53, 37, 0 0 0, 216 255 115, 236 0 217, d0a5b316019af18d805f10858590cbb7018f7cdb449782f754f89a48945790bc",
      "80, 60, 0 0 0, 216 255 115, 239 0 205, 65fa0713722af7ff45eb4e73cb9101bc980489bfb9cec0dc85c9075a8c595f3e",
      "20, 37, 8 0 0, 208 74 76, 209 109 133, f1eaf6eb8b86117c82f17ea8c5b19a9ee63a62ebe92a4285268ed47e4f0c1cf0",
      "53, 11, 5 53 0, 211 70 89, 236 98 179, ddba8ddf414516fa5428a8a7489e4fe41519da6f0630f044e8982b0ccb4a0f58",
      "7, 5, 40 126 16, 176 129 126, 181 127 128, dbb9aead7bbcc55e0fe8ea41629f427ac5a4853c77b1d43c2557af18a285f213"})
  void resizesAsPillow(int width, int height, String first, String last, String middle, String sha256)
      throws NoSuchAlgorithmException {
    byte[] resized = PillowBilinear.resizeWindow(pattern(), WIDTH, HEIGHT, 3, width, height, 0, 0, width, height);
    assertArrayEquals(rgb(first), pixel(resized, width, 0, 0), "top left");
    assertArrayEquals(rgb(last), pixel(resized, width, width - 1, height - 1), "bottom right");
    assertArrayEquals(rgb(middle), pixel(resized, width, width / 2, height / 2), "middle");
    assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(resized)), "every value");
  }

  @ParameterizedTest(name = "{0}x{1} at {2},{3}")
  @CsvSource({"13, 9, 3, 2, 7, 5", "80, 60, 10, 0, 60, 60", "20, 37, 0, 8, 20, 20", "53, 11, 52, 10, 1, 1"})
  void aWindowIsTheCropOfTheResize(int width, int height, int left, int top, int windowWidth, int windowHeight) {
    byte[] whole = PillowBilinear.resizeWindow(pattern(), WIDTH, HEIGHT, 3, width, height, 0, 0, width, height);
    byte[] window = PillowBilinear.resizeWindow(pattern(), WIDTH, HEIGHT, 3, width, height, left, top, windowWidth,
        windowHeight);
    for (int y = 0; y < windowHeight; y++) {
      int from = ((top + y) * width + left) * 3;
      assertArrayEquals(Arrays.copyOfRange(whole, from, from + windowWidth * 3),
          Arrays.copyOfRange(window, y * windowWidth * 3, (y + 1) * windowWidth * 3), "row " + y);
    }
  }

  /** Red {@code (7x + 3y) mod 256}, green a checkerboard of 4×3 cells, blue {@code xy mod 251}. */
  private static byte[] pattern() {
    byte[] pixels = new byte[WIDTH * HEIGHT * 3];
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        int o = (y * WIDTH + x) * 3;
        pixels[o] = (byte) ((x * 7 + y * 3) % 256);
        pixels[o + 1] = (byte) (((x / 4 + y / 3) % 2) * 255);
        pixels[o + 2] = (byte) ((x * y) % 251);
      }
    }
    return pixels;
  }

  private static byte[] pixel(byte[] image, int width, int x, int y) {
    int o = (y * width + x) * 3;
    return Arrays.copyOfRange(image, o, o + 3);
  }

  private static byte[] rgb(String values) {
    String[] parts = values.split(" ");
    byte[] rgb = new byte[3];
    for (int i = 0; i < 3; i++) {
      rgb[i] = (byte) Integer.parseInt(parts[i]);
    }
    return rgb;
  }
}
