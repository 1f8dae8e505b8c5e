package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.runtime.image.LibjpegColour.Subsampling;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tensor version against libjpeg's own loops ({@code jdsample.c} {@code h2v1_fancy_upsample} and
 * {@code h2v2_fancy_upsample}, {@code jdcolor.c} {@code ycc_rgb_convert}), transcribed here one pixel at a time,
 * on random planes of even and odd sizes: equal to the bit.
 */
class LibjpegColourTest {

  @ParameterizedTest(name = "{0} {1}x{2}")
  @CsvSource({
      "BOTH, 64, 48", "BOTH, 63, 47", "BOTH, 1, 1", "BOTH, 2, 9", "BOTH, 17, 2",
      "HORIZONTAL, 64, 48", "HORIZONTAL, 31, 5", "HORIZONTAL, 1, 3",
      "NONE, 16, 16", "NONE, 5, 7"})
  void matchesLibjpeg(Subsampling subsampling, int width, int height) {
    int cw = subsampling == Subsampling.NONE ? width : (width + 1) / 2;
    int ch = subsampling == Subsampling.BOTH ? (height + 1) / 2 : height;
    Random random = new Random(width * 31L + height);
    byte[] y = bytes(random, width * height);
    byte[] cb = bytes(random, cw * ch);
    byte[] cr = bytes(random, cw * ch);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      byte[] chroma = new byte[2 * cw * ch];
      System.arraycopy(cb, 0, chroma, 0, cb.length);
      System.arraycopy(cr, 0, chroma, cb.length, cr.length);
      NDArray rgb = LibjpegColour.toRgb(plane(manager, y, height, width),
          manager.create(java.nio.ByteBuffer.wrap(chroma), new Shape(2, ch, cw), DataType.UINT8), subsampling);
      assertEquals(new Shape(3, height, width), rgb.getShape());
      int[] expected = libjpeg(y, upsample(cb, cw, ch, subsampling, width, height),
          upsample(cr, cw, ch, subsampling, width, height));
      float[] actual = rgb.toFloatArray();
      int[] rounded = new int[actual.length];
      for (int i = 0; i < actual.length; i++) {
        rounded[i] = Math.round(actual[i]);
        assertEquals(rounded[i], actual[i], 0f, "not a whole grey level");
      }
      assertArrayEquals(expected, rounded);
    }
  }

  private static byte[] bytes(Random random, int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  private static NDArray plane(NDManager manager, byte[] values, int height, int width) {
    return manager.create(java.nio.ByteBuffer.wrap(values), new Shape(height, width), DataType.UINT8);
  }

  /** libjpeg's fancy upsampling, cropped to the image. */
  private static int[] upsample(byte[] in, int cw, int ch, Subsampling subsampling, int width, int height) {
    int[] out = new int[width * height];
    for (int oy = 0; oy < height; oy++) {
      for (int ox = 0; ox < width; ox++) {
        out[oy * width + ox] = switch (subsampling) {
          case NONE -> u(in, cw, ox, oy);
          case HORIZONTAL -> h2v1(in, cw, ox, oy);
          case BOTH -> h2v2(in, cw, ch, ox, oy);
        };
      }
    }
    return out;
  }

  private static int h2v1(byte[] in, int cw, int ox, int row) {
    int i = ox / 2;
    int here = u(in, cw, i, row);
    if (ox % 2 == 0) {
      return i == 0 ? here : (here * 3 + u(in, cw, i - 1, row) + 1) >> 2;
    }
    return i == cw - 1 ? here : (here * 3 + u(in, cw, i + 1, row) + 2) >> 2;
  }

  private static int h2v2(byte[] in, int cw, int ch, int ox, int oy) {
    int row = oy / 2;
    int further = oy % 2 == 0 ? Math.max(row - 1, 0) : Math.min(row + 1, ch - 1);
    int i = ox / 2;
    int thiscolsum = u(in, cw, i, row) * 3 + u(in, cw, i, further);
    if (ox % 2 == 0) {
      if (i == 0) {
        return (thiscolsum * 4 + 8) >> 4;
      }
      int lastcolsum = u(in, cw, i - 1, row) * 3 + u(in, cw, i - 1, further);
      return (thiscolsum * 3 + lastcolsum + 8) >> 4;
    }
    if (i == cw - 1) {
      return (thiscolsum * 4 + 7) >> 4;
    }
    int nextcolsum = u(in, cw, i + 1, row) * 3 + u(in, cw, i + 1, further);
    return (thiscolsum * 3 + nextcolsum + 7) >> 4;
  }

  /** ycc_rgb_convert with its tables; planar R, G, B. */
  private static int[] libjpeg(byte[] y, int[] cb, int[] cr) {
    int n = y.length;
    int[] rgb = new int[3 * n];
    for (int i = 0; i < n; i++) {
      int luma = y[i] & 0xff;
      int b = cb[i] - 128;
      int r = cr[i] - 128;
      rgb[i] = clamp(luma + ((fix(1.40200) * r + (1 << 15)) >> 16));
      rgb[n + i] = clamp(luma + ((-fix(0.34414) * b + (1 << 15) - fix(0.71414) * r) >> 16));
      rgb[2 * n + i] = clamp(luma + ((fix(1.77200) * b + (1 << 15)) >> 16));
    }
    return rgb;
  }

  private static int fix(double x) {
    return (int) (x * 65536 + 0.5);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static int u(byte[] plane, int width, int x, int y) {
    return plane[y * width + x] & 0xff;
  }
}
