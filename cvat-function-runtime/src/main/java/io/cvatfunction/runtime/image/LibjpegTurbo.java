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
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.leptonica.PIX;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Decodes plain JPEG frames ({@link JpegSegments#openCvOnlyReason}) with libjpeg-turbo's SIMD code, as bytedeco's
 * Leptonica build ships it: the library OpenCV decodes JPEGs with too, but OpenCV's build here has no SIMD. Both give
 * the same pixels — libjpeg-turbo's default decode (accurate integer inverse DCT, fancy upsampling), then BGR — which
 * test frames of each layout prove value for value when this class loads; where they do not, or the natives cannot
 * load (a platform without them), OpenCV decodes every frame and {@link #unavailableReason} says why.
 */
final class LibjpegTurbo {

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
    PIX pix;
    try (BytePointer data = new BytePointer(jpeg)) {
      pix = pixReadMemJpeg(data, jpeg.length, 0, 1, (IntPointer) null, 0);
    }
    if (pix == null) {
      return null;
    }
    try {
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
      Imgproc.cvtColor(wrapped, bgr, depth == 32 ? Imgproc.COLOR_RGBA2BGR : Imgproc.COLOR_GRAY2BGR);
      wrapped.release();
      return bgr;
    } finally {
      pixDestroy(pix);
    }
  }

  private static String load() {
    try {
      setMsgSeverity(L_SEVERITY_NONE); // corrupt frames get the server's answer, not Leptonica's lines on stderr
      return proof();
    } catch (LinkageError | RuntimeException e) {
      return "Leptonica's libjpeg-turbo could not be loaded (" + e + ")";
    }
  }

  /** Both decoders on {@link JpegTestFrames}: {@code null} when every value is the same, else which frame differs. */
  private static String proof() {
    for (JpegTestFrames.Frame frame : JpegTestFrames.all()) {
      String differs = compare(frame.layout(), frame.jpeg());
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
