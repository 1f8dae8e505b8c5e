package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.FormatFrames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class FrameDecoderTest {

  private final FrameDecoder decoder = new FrameDecoder(50_000_000);

  private static int[] size(Mat mat) {
    int[] size = {mat.cols(), mat.rows(), mat.channels()};
    mat.release();
    return size;
  }

  /** Every lossless file, PNG included. */
  private static Map<String, Supplier<byte[]>> lossless() {
    Map<String, Supplier<byte[]>> files = new LinkedHashMap<>();
    files.put("PNG", FormatFrames::png);
    files.putAll(FormatFrames.lossless());
    return files;
  }

  /** Where two images differ most, per channel value. */
  private static double maxDifference(Mat a, Mat b) {
    Mat diff = new Mat();
    Core.absdiff(a, b, diff);
    double max = Core.minMaxLoc(diff.reshape(1)).maxVal;
    diff.release();
    return max;
  }

  private static double meanDifference(Mat a, Mat b) {
    Mat diff = new Mat();
    Core.absdiff(a, b, diff);
    Scalar mean = Core.mean(diff);
    diff.release();
    return (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
  }

  @Test
  void decodesColourGreyAndPngToBgr() throws BadRequestException {
    assertEquals("[1920, 1080, 3]", Arrays.toString(size(decoder.decode(Fixtures.frame("000.jpg")))));
    assertEquals("[1920, 1080, 3]", Arrays.toString(size(decoder.decode(Fixtures.frame("003.png")))));
    assertEquals("[1280, 720, 3]", Arrays.toString(size(decoder.decode(Fixtures.frame("007.jpg")))), "grey JPEG");
    assertEquals("[1080, 1920, 3]", Arrays.toString(size(decoder.decode(Fixtures.frame("009.jpg")))), "portrait");
    assertEquals("[4000, 3000, 3]", Arrays.toString(size(decoder.decode(Fixtures.frame("010.jpg")))));
  }

  @Test
  void losslessFormatsDecodeToExactlyTheirPixels() throws BadRequestException {
    Mat pixels = FormatFrames.pixels();
    try {
      for (Map.Entry<String, Supplier<byte[]>> file : lossless().entrySet()) {
        Mat decoded = decoder.decode(file.getValue().get());
        assertEquals("[960, 540, 3]", Arrays.toString(new int[] {decoded.cols(), decoded.rows(), decoded.channels()}));
        assertEquals(0, maxDifference(decoded, pixels), file.getKey());
        decoded.release();
      }
    } finally {
      pixels.release();
    }
  }

  @Test
  void lossyFormatsDecodeToTheirPicture() throws BadRequestException {
    Mat pixels = FormatFrames.pixels();
    Mat plain = decoder.decode(FormatFrames.jpeg());
    Mat trailer = decoder.decode(FormatFrames.jpegWithTrailer());
    Mat restarts = decoder.decode(FormatFrames.jpegWithRestarts());
    try {
      assertEquals(0, maxDifference(trailer, plain), "the bytes after the end marker change nothing");
      assertEquals(0, maxDifference(restarts, plain), "restart markers change nothing");
      // The same picture, colours right (an inverted CMYK would be off by ~128).
      for (Map.Entry<String, Supplier<byte[]>> file : FormatFrames.lossy().entrySet()) {
        Mat lossy = decoder.decode(file.getValue().get());
        assertEquals("[960, 540, 3]", Arrays.toString(new int[] {lossy.cols(), lossy.rows(), lossy.channels()}));
        double difference = meanDifference(lossy, pixels);
        lossy.release();
        assertTrue(difference < 4, file.getKey() + ": mean difference " + difference);
      }
    } finally {
      for (Mat mat : new Mat[] {pixels, plain, trailer, restarts}) {
        mat.release();
      }
    }
  }

  @Test
  void exifOrientationIsAppliedAsUltralyticsSeesIt() throws BadRequestException {
    byte[] jpeg = FormatFrames.jpeg();
    // APP1 "Exif": a little-endian TIFF directory with one entry, Orientation (274) = 6 (rotate 90° clockwise).
    ByteBuffer exif = ByteBuffer.allocate(2 + 2 + 6 + 8 + 2 + 12 + 4).order(ByteOrder.BIG_ENDIAN);
    exif.put((byte) 0xff).put((byte) 0xe1).putShort((short) (exif.capacity() - 2)).put("Exif\0\0".getBytes());
    exif.order(ByteOrder.LITTLE_ENDIAN).put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    exif.putShort((short) 1).putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) 6).putShort((short) 0);
    exif.putInt(0);
    byte[] rotated = new byte[jpeg.length + exif.capacity()];
    System.arraycopy(jpeg, 0, rotated, 0, 2);
    System.arraycopy(exif.array(), 0, rotated, 2, exif.capacity());
    System.arraycopy(jpeg, 2, rotated, 2 + exif.capacity(), jpeg.length - 2);
    assertEquals("[540, 960, 3]", Arrays.toString(size(decoder.decode(rotated))));
  }

  @Test
  void rejectsTruncatedFiles() {
    byte[] jpeg = Fixtures.frame("000.jpg");
    byte[] png = Fixtures.frame("003.png");
    assertMessage(Arrays.copyOf(jpeg, jpeg.length / 2), 400, "truncated JPEG");
    assertMessage(Arrays.copyOf(png, png.length - 100), 400, "truncated PNG");
    assertMessage(Arrays.copyOf(jpeg, 2), 400, "not a JPEG, PNG, BMP, TIFF or WebP file");
    assertMessage(Arrays.copyOf(jpeg, jpeg.length - 1), 400, "truncated JPEG");
  }

  @Test
  void rejectsTruncatedFilesOfEveryFormat() {
    Map<String, Supplier<byte[]>> files = lossless();
    files.put("lossy WebP", FormatFrames::webpLossy);
    for (Map.Entry<String, Supplier<byte[]>> file : files.entrySet()) {
      byte[] bytes = file.getValue().get();
      for (int cut : new int[] {30, bytes.length / 2, bytes.length - 1}) {
        BadRequestException e = assertThrows(BadRequestException.class,
            () -> decoder.decode(Arrays.copyOf(bytes, cut)), file.getKey() + " cut at " + cut);
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
      }
    }
  }

  @Test
  void rejectsOtherFormats() {
    assertMessage("GIF89a....".getBytes(), 400, "not a JPEG, PNG, BMP, TIFF or WebP file (its first bytes are 47 49 46 38)");
    assertMessage(new byte[] {0}, 400, "not a JPEG, PNG, BMP, TIFF or WebP file");
  }

  @Test
  void rejectsCorruptPixelData() {
    byte[] jpeg = Fixtures.frame("008.jpg").clone();
    // Wipe the header after the SOI marker: still "a JPEG" by magic and end marker, but undecodable.
    Arrays.fill(jpeg, 3, 600, (byte) 0);
    BadRequestException e = assertThrows(BadRequestException.class, () -> decoder.decode(jpeg));
    assertEquals(400, e.status());
    byte[] webp = FormatFrames.webpLossless();
    Arrays.fill(webp, 25, webp.length, (byte) 0x55); // a sound header over nonsense
    assertMessage(webp, 400, "could not be decoded as a WebP: the file is corrupt or truncated");
  }

  @Test
  void refusesDecompressionBombsBeforeDecoding() throws IOException {
    byte[] bomb = Fixtures.pngDeclaring(100_000, 100_000);
    assertMessage(bomb, 413, "100000x100000 = 10000000000 pixels, over this function's limit of 50000000");
    FrameDecoder small = new FrameDecoder(1_000_000);
    BadRequestException e = assertThrows(BadRequestException.class, () -> small.decode(Fixtures.frame("000.jpg")));
    assertEquals(413, e.status());
  }

  @Test
  void refusesBombsInEveryFormatFromTheirHeaders() {
    FrameDecoder small = new FrameDecoder(500_000); // under the 960x540 = 518400 pixels of every file
    Map<String, Supplier<byte[]>> files = lossless();
    files.putAll(FormatFrames.lossy());
    for (Map.Entry<String, Supplier<byte[]>> file : files.entrySet()) {
      BadRequestException e = assertThrows(BadRequestException.class, () -> small.decode(file.getValue().get()));
      assertEquals(413, e.status(), file.getKey());
      assertTrue(e.getMessage().contains("960x540 = 518400 pixels, over this function's limit of 500000"),
          e.getMessage());
    }
  }

  @Test
  void checkPixelsHoldsTheRuleForEveryDecoder() throws BadRequestException {
    decoder.checkPixels(10_000, 5_000);
    BadRequestException over = assertThrows(BadRequestException.class, () -> decoder.checkPixels(10_000, 5_001));
    assertEquals(413, over.status());
    assertEquals("\"image\" is 10000x5001 = 50010000 pixels, over this function's limit of 50000000 (raise it with"
        + " CVAT_MAX_IMAGE_PIXELS if such frames are expected)", over.getMessage());
    BadRequestException huge = assertThrows(BadRequestException.class,
        () -> decoder.checkPixels(Long.MAX_VALUE, Long.MAX_VALUE));
    assertTrue(huge.getMessage().contains(" = 85070591730234615847396907784232501249 pixels"), huge.getMessage());
    for (long[] empty : new long[][] {{0, 10}, {10, 0}, {-1, 10}}) {
      BadRequestException e = assertThrows(BadRequestException.class, () -> decoder.checkPixels(empty[0], empty[1]));
      assertEquals(400, e.status());
      assertTrue(e.getMessage().startsWith("\"image\" declares an empty size"), e.getMessage());
    }
  }

  private void assertMessage(byte[] bytes, int status, String expected) {
    BadRequestException e = assertThrows(BadRequestException.class, () -> decoder.decode(bytes));
    assertEquals(status, e.status());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
