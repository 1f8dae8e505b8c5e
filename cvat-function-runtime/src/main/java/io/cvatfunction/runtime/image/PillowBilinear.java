package io.cvatfunction.runtime.image;

/**
 * Pillow's bilinear resize of 8-bit images ({@code Image.resize(size, BILINEAR)}, which torchvision's {@code Resize}
 * runs on a PIL image), value for value: a triangle filter widened by the scale when shrinking (so every source
 * pixel counts: an antialiasing resize, unlike OpenCV's {@code INTER_LINEAR}), weights in fixed point with 22
 * fractional bits, a horizontal pass rounded to 8 bits, then a vertical pass. Only a window of the resized image
 * is computed: each output pixel depends on its own coordinates alone, so a crop of the resize is the resize of
 * the window.
 */
final class PillowBilinear {

  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final int HALF = 1 << (PRECISION_BITS - 1);

  private PillowBilinear() {}

  /**
   * The weights of one axis, for the output positions {@code from} to {@code from + count - 1} of a resize from
   * {@code inSize} to {@code outSize}: position {@code i} reads {@code taps[i]} inputs from {@code first[i]},
   * weighted by {@code weights[i * width ...]}.
   */
  private record Axis(int[] first, int[] taps, int[] weights, int width) {

    static Axis of(int inSize, int outSize, int from, int count) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = filterScale; // the triangle's support is 1, widened by the scale when shrinking
      double inverse = 1.0 / filterScale;
      int width = (int) Math.ceil(support) * 2 + 1;
      int[] first = new int[count];
      int[] taps = new int[count];
      int[] weights = new int[count * width];
      double[] k = new double[width];
      for (int i = 0; i < count; i++) {
        double center = (from + i + 0.5) * scale;
        int min = Math.max(0, (int) (center - support + 0.5));
        int n = Math.min(inSize, (int) (center + support + 0.5)) - min;
        double sum = 0;
        for (int x = 0; x < n; x++) {
          k[x] = triangle((x + min - center + 0.5) * inverse);
          sum += k[x];
        }
        for (int x = 0; x < n; x++) {
          double w = sum != 0 ? k[x] / sum : k[x];
          weights[i * width + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
        }
        first[i] = min;
        taps[i] = n;
      }
      return new Axis(first, taps, weights, width);
    }

    private static double triangle(double x) {
      double a = Math.abs(x);
      return a < 1.0 ? 1.0 - a : 0.0;
    }
  }

  /**
   * A window of the bilinear resize of an interleaved 8-bit image.
   *
   * @param pixels {@code height × width × channels} bytes, row-major
   * @param outWidth the resized width
   * @param outHeight the resized height
   * @param left the window's first column in the resized image
   * @param top the window's first row
   * @param windowWidth the window's width
   * @param windowHeight the window's height
   * @return {@code windowHeight × windowWidth × channels} bytes
   */
  static byte[] resizeWindow(byte[] pixels, int width, int height, int channels, int outWidth, int outHeight,
      int left, int top, int windowWidth, int windowHeight) {
    Axis columns = Axis.of(width, outWidth, left, windowWidth);
    Axis rows = Axis.of(height, outHeight, top, windowHeight);
    int firstRow = rows.first()[0];
    int lastRow = rows.first()[windowHeight - 1] + rows.taps()[windowHeight - 1];
    // Horizontal pass over the rows the vertical pass reads, rounded to 8 bits as Pillow's intermediate image is.
    int rowLength = windowWidth * channels;
    byte[] horizontal = new byte[(lastRow - firstRow) * rowLength];
    for (int y = firstRow; y < lastRow; y++) {
      int in = y * width * channels;
      int out = (y - firstRow) * rowLength;
      for (int x = 0; x < windowWidth; x++) {
        int start = in + columns.first()[x] * channels;
        int weights = x * columns.width();
        for (int c = 0; c < channels; c++) {
          int sum = HALF;
          for (int t = 0; t < columns.taps()[x]; t++) {
            sum += (pixels[start + t * channels + c] & 0xff) * columns.weights()[weights + t];
          }
          horizontal[out + x * channels + c] = clip8(sum);
        }
      }
    }
    byte[] window = new byte[windowHeight * rowLength];
    for (int y = 0; y < windowHeight; y++) {
      int start = (rows.first()[y] - firstRow) * rowLength;
      int weights = y * rows.width();
      for (int i = 0; i < rowLength; i++) {
        int sum = HALF;
        for (int t = 0; t < rows.taps()[y]; t++) {
          sum += (horizontal[start + t * rowLength + i] & 0xff) * rows.weights()[weights + t];
        }
        window[y * rowLength + i] = clip8(sum);
      }
    }
    return window;
  }

  private static byte clip8(int value) {
    if (value >= 1 << (PRECISION_BITS + 8)) {
      return (byte) 255;
    }
    return value <= 0 ? 0 : (byte) (value >> PRECISION_BITS);
  }
}
