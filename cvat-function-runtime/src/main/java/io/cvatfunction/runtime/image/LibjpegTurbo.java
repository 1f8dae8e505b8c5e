package io.cvatfunction.runtime.image;

import static org.bytedeco.leptonica.global.leptonica.L_SEVERITY_NONE;
import static org.bytedeco.leptonica.global.leptonica.pixDestroy;
import static org.bytedeco.leptonica.global.leptonica.pixEndianByteSwap;
import static org.bytedeco.leptonica.global.leptonica.pixGetData;
import static org.bytedeco.leptonica.global.leptonica.pixGetDepth;
import static org.bytedeco.leptonica.global.leptonica.pixGetHeight;
import static org.bytedeco.leptonica.global.leptonica.pixGetWidth;
import static org.bytedeco.leptonica.global.leptonica.pixGetWpl;
import static org.bytedeco.leptonica.global.leptonica.pixReadMemJpeg;
import static org.bytedeco.leptonica.global.leptonica.setMsgSeverity;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.bytedeco.leptonica.PIX;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes plain sequential JPEG frames ({@link JpegSegments#openCvOnlyReason}) with libjpeg-turbo's SIMD code, as
 * bytedeco's Leptonica build ships it (3.0): the library OpenCV decodes JPEGs with too (2.1 in the build here, without
 * SIMD). Both give the same pixels for these frames — libjpeg-turbo's default decode (accurate integer inverse DCT,
 * fancy upsampling), then BGR — which test frames of each layout prove value for value when this class loads; where
 * they do not, or the natives cannot load (a platform without them), OpenCV decodes every frame, with a warning, and
 * {@link #unavailableReason} says why. Progressive frames stay with OpenCV: libjpeg-turbo 3.0 smooths blocks a
 * progressive file leaves unrefined differently from 2.1. A frame with a libjpeg warning (corrupt data) is left to
 * OpenCV, which decodes it again: OpenCV keeps such frames, with the pixels its own version makes of them.
 */
final class LibjpegTurbo {

  private static final Logger LOG = LoggerFactory.getLogger(LibjpegTurbo.class);
  private static final String UNAVAILABLE = load();

  private LibjpegTurbo() {}

  /** Whether plain JPEG frames are decoded here. */
  static boolean available() {
    return UNAVAILABLE == null;
  }

  /** Why OpenCV decodes every JPEG frame, or {@code null} when this decoder serves. */
  static String unavailableReason() {
    return UNAVAILABLE;
  }

  /**
   * Decodes a plain JPEG into a 3-channel BGR matrix the caller must release, as OpenCV's {@code imdecode} would;
   * {@code null} when libjpeg-turbo cannot (OpenCV then decodes it, or says what is wrong with it). The frame's checks
   * (structure, pixel limit) come first, in {@link FrameDecoder}.
   */
  static Mat decode(byte[] jpeg) {
    try {
      PIX pix = pixReadMemJpeg(jpeg, jpeg.length, 0, 1, (int[]) null, 0); // a frame with a libjpeg warning: null
      if (pix == null) {
        return null;
      }
      try {
        return toBgr(pix);
      } finally {
        pixDestroy(pix);
      }
    } catch (RuntimeException e) { // OpenCV takes the frame: its answer, or its error, is the one Ultralytics gets
      return null;
    }
  }

  /** Leptonica's grey or RGBA image as a new BGR matrix; {@code null} for another depth. */
  private static Mat toBgr(PIX pix) {
    int depth = pixGetDepth(pix);
    if (depth != 32 && depth != 8) {
      return null;
    }
    // Leptonica keeps pixels in big-endian 32-bit words: swapped, they are R, G, B, A (or grey bytes) in memory
    pixEndianByteSwap(pix);
    int width = pixGetWidth(pix);
    int height = pixGetHeight(pix);
    long stride = 4L * pixGetWpl(pix);
    ByteBuffer pixels = pixGetData(pix).capacity(stride * height / Integer.BYTES).asByteBuffer();
    Mat wrapped = new Mat(height, width, depth == 32 ? CvType.CV_8UC4 : CvType.CV_8UC1, pixels, stride);
    Mat bgr = new Mat();
    try {
      Imgproc.cvtColor(wrapped, bgr, depth == 32 ? Imgproc.COLOR_RGBA2BGR : Imgproc.COLOR_GRAY2BGR);
      return bgr;
    } catch (RuntimeException e) {
      bgr.release();
      throw e;
    } finally {
      wrapped.release();
    }
  }

  private static String load() {
    String unavailable;
    try {
      setMsgSeverity(L_SEVERITY_NONE); // corrupt frames get the server's answer, not Leptonica's lines on stderr
      unavailable = proof();
    } catch (LinkageError | RuntimeException e) {
      unavailable = "Leptonica's libjpeg-turbo could not be loaded (" + e + ")";
    }
    if (unavailable != null) {
      LOG.warn("JPEG frames are decoded on the CPU by OpenCV, without SIMD: {}", unavailable);
    }
    return unavailable;
  }

  /**
   * Both decoders on the sequential {@link JpegTestFrames}: {@code null} when every value is the same, else which frame
   * differs.
   */
  private static String proof() {
    for (JpegTestFrames.Frame frame : JpegTestFrames.all()) {
      String differs = frame.progressive() ? null : compare(frame.layout(), frame.jpeg());
      if (differs != null) {
        return differs;
      }
    }
    return null;
  }

  private static String compare(String layout, byte[] jpeg) {
    MatOfByte encoded = new MatOfByte(jpeg);
    Mat expected = Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_COLOR);
    encoded.release();
    Mat decoded = decode(jpeg);
    try {
      if (decoded == null) {
        return "Leptonica's libjpeg-turbo could not decode a " + layout + " test frame";
      }
      Mat difference = new Mat();
      Core.absdiff(decoded, expected, difference);
      int off = Core.countNonZero(difference.reshape(1));
      difference.release();
      return off == 0 ? null : String.format(Locale.ROOT, "Leptonica's libjpeg-turbo decodes a %s test frame"
          + " differently from OpenCV: %d of %d values", layout, off, expected.total() * 3);
    } finally {
      expected.release();
      if (decoded != null) {
        decoded.release();
      }
    }
  }
}
