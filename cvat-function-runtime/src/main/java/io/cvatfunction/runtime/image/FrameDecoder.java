package io.cvatfunction.runtime.image;

import io.cvatfunction.runtime.BadRequestException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Decodes CVAT frames (JPEG, PNG, BMP, TIFF or WebP; colour or grey) into BGR pixels as OpenCV, the decoder
 * Ultralytics uses, does, EXIF orientation applied as there: plain JPEGs with libjpeg-turbo's SIMD code ({@link
 * LibjpegTurbo}, the same pixels), everything else with OpenCV. Hostile input is kept out first: the format by its
 * magic bytes, the declared size against a pixel limit read from the header alone (before a single pixel is
 * decoded), and a JPEG or PNG structure that reaches its end.
 */
public final class FrameDecoder {

  static {
    OpenCv.load();
  }

  private final long maxPixels;
  private final LongAdder byLibjpegTurbo = new LongAdder();
  private final LongAdder byOpenCv = new LongAdder();

  /** A decoder that rejects frames of more than {@code maxPixels} pixels. */
  public FrameDecoder(long maxPixels) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("the pixel limit must be positive, got " + maxPixels);
    }
    this.maxPixels = maxPixels;
  }

  /** Whether the bytes start like a JPEG file (magic bytes only: nothing else is checked). */
  public static boolean isJpeg(byte[] encoded) {
    return FrameFormat.JPEG.sniffs(new HeaderBytes(encoded, FrameFormat.JPEG));
  }

  /**
   * Decodes a frame into a 3-channel 8-bit BGR matrix that the caller must {@link Mat#release()}.
   *
   * @throws BadRequestException (400) when the bytes are not a complete frame in a format accepted here, or
   *     (413) when the frame is over the pixel limit
   */
  public Mat decode(byte[] encoded) throws BadRequestException {
    FrameHeader header = checked(encoded);
    if (header.format() == FrameFormat.JPEG && LibjpegTurbo.available()
        && JpegSegments.openCvOnlyReason(encoded, false) == null) {
      Mat bgr = LibjpegTurbo.decode(encoded);
      if (bgr != null) {
        byLibjpegTurbo.increment();
        return bgr;
      }
    }
    Mat bgr = openCv(encoded, header);
    byOpenCv.increment();
    return bgr;
  }

  /** The frame decoded by OpenCV alone, not counted: the reference another decoder's test frames are held to. */
  Mat decodeWithOpenCv(byte[] encoded) throws BadRequestException {
    return openCv(encoded, checked(encoded));
  }

  private static Mat openCv(byte[] encoded, FrameHeader header) throws BadRequestException {
    MatOfByte buffer = new MatOfByte(encoded);
    try {
      Mat bgr = Imgcodecs.imdecode(buffer, Imgcodecs.IMREAD_COLOR);
      if (bgr.empty()) {
        bgr.release();
        throw new BadRequestException("\"image\" could not be decoded as a " + header.format().label()
            + ": the file is corrupt or truncated");
      }
      return bgr;
    } finally {
      buffer.release();
    }
  }

  /** The CPU decoders, for the logs and {@code /ready}: {@code libjpeg-turbo (SIMD) and OpenCV} or {@code OpenCV}. */
  public String description() {
    return LibjpegTurbo.available() ? "libjpeg-turbo (SIMD) and OpenCV" : "OpenCV";
  }

  /** How many frames each CPU decoder has decoded through {@link #decode}, by its name. */
  public Map<String, Long> framesDecoded() {
    Map<String, Long> frames = new LinkedHashMap<>();
    if (LibjpegTurbo.available()) {
      frames.put("libjpeg-turbo", byLibjpegTurbo.sum());
    }
    frames.put("OpenCV", byOpenCv.sum());
    return frames;
  }

  /**
   * Makes every check {@link #decode} makes before it decodes — format, structure, pixel limit — so a decoder
   * elsewhere (nvJPEG on the GPU) accepts and refuses exactly the frames this one does.
   *
   * @throws BadRequestException as {@link #decode} would
   */
  public void check(byte[] encoded) throws BadRequestException {
    checked(encoded);
  }

  private FrameHeader checked(byte[] encoded) throws BadRequestException {
    FrameHeader header = FrameHeader.read(encoded);
    checkPixels(header.width(), header.height());
    return header;
  }

  /**
   * The rule for a frame's declared size, for every decoder: both sides positive (else 400) and at most the
   * pixel limit in all (else 413, which says how to raise the limit).
   */
  public void checkPixels(long width, long height) throws BadRequestException {
    if (width <= 0 || height <= 0) {
      throw new BadRequestException("\"image\" declares an empty size " + width + "x" + height);
    }
    if (width > maxPixels / height) { // width * height > maxPixels, without overflow
      BigInteger pixels = BigInteger.valueOf(width).multiply(BigInteger.valueOf(height));
      throw new BadRequestException(413, "\"image\" is " + width + "x" + height + " = " + pixels
          + " pixels, over this function's limit of " + maxPixels
          + " (raise it with CVAT_MAX_IMAGE_PIXELS if such frames are expected)");
    }
  }
}
