package io.cvatfunction.runtime;

import io.cvatfunction.runtime.image.OpenCv;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * One fixture frame in every format CVAT may send, made at test time so the repository holds no more images:
 * {@code 000.jpg} decoded by OpenCV and scaled to 960x540 ({@link #pixels()}), then written by OpenCV's encoders
 * (libpng, libtiff, libwebp, libjpeg-turbo, its BMP writer), by Java's JPEG writer (CMYK) and by hand where
 * neither writes the variant (top-down BMP, big-endian TIFF, bytes after a JPEG's end marker, EXIF orientation).
 */
public final class FormatFrames {

  private static final int WIDTH = 960;
  private static final int HEIGHT = 540;

  /** Every file but PNG, in the order the tests name them. */
  private static final List<Variant> VARIANTS = List.of(
      new Variant("BMP", true, FormatFrames::bmp),
      new Variant("top-down BMP", true, FormatFrames::bmpTopDown),
      new Variant("little-endian TIFF", true, FormatFrames::tiff),
      new Variant("big-endian TIFF", true, FormatFrames::tiffBigEndian),
      new Variant("lossless WebP", true, FormatFrames::webpLossless),
      new Variant("extended WebP", true, FormatFrames::webpExtended),
      new Variant("JPEG", false, FormatFrames::jpeg),
      new Variant("JPEG with bytes after its end marker", false, FormatFrames::jpegWithTrailer),
      new Variant("JPEG with restart markers", false, FormatFrames::jpegWithRestarts),
      new Variant("progressive JPEG", false, FormatFrames::jpegProgressive),
      new Variant("CMYK JPEG", false, FormatFrames::jpegCmyk),
      new Variant("lossy WebP", false, FormatFrames::webpLossy));

  private record Variant(String name, boolean lossless, Supplier<byte[]> bytes) {}

  static {
    OpenCv.load();
  }

  private FormatFrames() {}

  /** The frame's BGR pixels, which every lossless file below holds exactly; the caller releases them. */
  public static Mat pixels() {
    Mat full = Imgcodecs.imdecode(new MatOfByte(Fixtures.frame("000.jpg")), Imgcodecs.IMREAD_COLOR);
    Mat small = new Mat();
    Imgproc.resize(full, small, new Size(WIDTH, HEIGHT), 0, 0, Imgproc.INTER_AREA);
    full.release();
    return small;
  }

  /** The lossless files other than PNG, by name: each holds exactly {@link #pixels()}. */
  public static Map<String, Supplier<byte[]>> lossless() {
    return files(true);
  }

  /** The lossy files, by name: the JPEG variants and lossy WebP. */
  public static Map<String, Supplier<byte[]>> lossy() {
    return files(false);
  }

  private static Map<String, Supplier<byte[]>> files(boolean lossless) {
    Map<String, Supplier<byte[]>> files = new LinkedHashMap<>();
    VARIANTS.stream().filter(v -> v.lossless() == lossless).forEach(v -> files.put(v.name(), v.bytes()));
    return files;
  }

  /** PNG, as libpng writes it. */
  public static byte[] png() {
    return encode(".png");
  }

  /** A bottom-up 24-bit BMP, as OpenCV writes it. */
  public static byte[] bmp() {
    return encode(".bmp");
  }

  /** A top-down BMP: a negative height, rows stored first to last. */
  public static byte[] bmpTopDown() {
    byte[] bmp = bmp();
    ByteBuffer header = ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN);
    int offset = header.getInt(10);
    int height = header.getInt(22);
    int stride = (header.getInt(18) * 3 + 3) & ~3;
    header.putInt(22, -height);
    byte[] topDown = bmp.clone();
    for (int row = 0; row < height; row++) {
      System.arraycopy(bmp, offset + row * stride, topDown, offset + (height - 1 - row) * stride, stride);
    }
    return topDown;
  }

  /** A little-endian TIFF, as libtiff writes it for OpenCV (LZW). */
  public static byte[] tiff() {
    return encode(".tiff");
  }

  /** A big-endian ("MM") uncompressed RGB TIFF in one strip, written by hand: OpenCV writes only "II". */
  public static byte[] tiffBigEndian() {
    Mat bgr = pixels();
    Mat rgb = new Mat();
    Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
    byte[] strip = new byte[WIDTH * HEIGHT * 3];
    rgb.get(0, 0, strip);
    bgr.release();
    rgb.release();
    short[][] entries = { // tag, type (3 SHORT, 4 LONG), value
        {256, 3, WIDTH}, {257, 3, HEIGHT}, {258, 3, 8}, {259, 3, 1}, {262, 3, 2}, {273, 4, 0},
        {277, 3, 3}, {278, 3, HEIGHT}, {279, 4, 0}, {284, 3, 1}};
    int directory = 8;
    int data = directory + 2 + entries.length * 12 + 4;
    ByteBuffer out = ByteBuffer.allocate(data + strip.length).order(ByteOrder.BIG_ENDIAN);
    out.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(directory);
    out.putShort((short) entries.length);
    for (short[] entry : entries) {
      int value = entry[0] == 273 ? data : entry[0] == 279 ? strip.length : entry[2];
      out.putShort(entry[0]).putShort(entry[1]).putInt(1); // one value each; libtiff reads one BitsPerSample for all
      if (entry[1] == 3) {
        out.putShort((short) value).putShort((short) 0);
      } else {
        out.putInt(value);
      }
    }
    out.putInt(0).put(strip);
    return out.array();
  }

  /** Lossless WebP (a VP8L image), as libwebp writes it for OpenCV by default. */
  public static byte[] webpLossless() {
    return encode(".webp");
  }

  /** Lossy WebP (a VP8 key frame), quality 90. */
  public static byte[] webpLossy() {
    return encode(".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 90);
  }

  /**
   * Extended WebP: the lossless image behind a VP8X chunk that declares its canvas, the container tools write
   * when they add metadata or alpha.
   */
  public static byte[] webpExtended() {
    byte[] simple = webpLossless();
    ByteBuffer out = ByteBuffer.allocate(simple.length + 18).order(ByteOrder.LITTLE_ENDIAN);
    out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(simple.length + 10);
    out.put("WEBPVP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0); // no flags, 3 reserved bytes
    out.putShort((short) (WIDTH - 1)).put((byte) 0).putShort((short) (HEIGHT - 1)).put((byte) 0);
    out.put(simple, 12, simple.length - 12); // the VP8L chunk
    return out.array();
  }

  /** Baseline JPEG, quality 95. */
  public static byte[] jpeg() {
    return encode(".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 95);
  }

  /** Progressive JPEG, quality 95: many scans, Huffman tables between them. */
  public static byte[] jpegProgressive() {
    return encode(".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 95, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1);
  }

  /** Baseline JPEG with a restart marker (RSTn) every 240 MCUs inside its scan, as some cameras write. */
  public static byte[] jpegWithRestarts() {
    return encode(".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 95, Imgcodecs.IMWRITE_JPEG_RST_INTERVAL, 240);
  }

  /**
   * The baseline JPEG with what cameras and editors append after its end marker: a second, smaller JPEG (as in
   * an MPF preview) and a vendor's text block.
   */
  public static byte[] jpegWithTrailer() {
    Mat bgr = pixels();
    Mat preview = new Mat();
    Imgproc.resize(bgr, preview, new Size(160, 90), 0, 0, Imgproc.INTER_AREA);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(jpeg());
    out.writeBytes(encode(preview, ".jpg"));
    out.writeBytes("SEFT\0\0\0\0vendor data after the image\0".getBytes(StandardCharsets.US_ASCII));
    bgr.release();
    preview.release();
    return out.toByteArray();
  }

  /**
   * A four-channel JPEG as Photoshop writes CMYK (Adobe's inverted convention, which libjpeg assumes for a
   * four-channel file): Java's writer stores the channels as given, R, G, B and 255 for "no black".
   */
  public static byte[] jpegCmyk() {
    Mat bgr = pixels();
    byte[] pixels = new byte[WIDTH * HEIGHT * 3];
    bgr.get(0, 0, pixels);
    bgr.release();
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, WIDTH, HEIGHT, 4,
        null);
    int[] cmyk = new int[4];
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        int at = (y * WIDTH + x) * 3;
        cmyk[0] = pixels[at + 2] & 0xff;
        cmyk[1] = pixels[at + 1] & 0xff;
        cmyk[2] = pixels[at] & 0xff;
        cmyk[3] = 255;
        raster.setPixel(x, y, cmyk);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(new IIOImage(raster, null, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static byte[] encode(String extension, int... params) {
    Mat bgr = pixels();
    try {
      return encode(bgr, extension, params);
    } finally {
      bgr.release();
    }
  }

  private static byte[] encode(Mat image, String extension, int... params) {
    MatOfByte out = new MatOfByte();
    MatOfInt options = new MatOfInt(params);
    try {
      if (!Imgcodecs.imencode(extension, image, out, options)) {
        throw new IllegalStateException("OpenCV could not write " + extension);
      }
      return out.toArray();
    } finally {
      out.release();
      options.release();
    }
  }
}
