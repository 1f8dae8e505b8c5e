package io.cvatfunction.runtime.image;

import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Small JPEGs made by OpenCV, one of each layout a decoder other than OpenCV takes (4:2:0, 4:2:2, 4:4:4, grey, a
 * progressive 4:2:0), at an odd size, with soft colour edges where chroma upsampling shows: what such a decoder must
 * decode as OpenCV does before it serves.
 */
final class JpegTestFrames {

  static final int WIDTH = 121;
  static final int HEIGHT = 91;

  /**
   * One test frame.
   *
   * @param side a square model input to letterbox it into: resized, enlarged or unscaled, by layout
   */
  record Frame(String layout, byte[] jpeg, boolean progressive, int side) {}

  private JpegTestFrames() {}

  static List<Frame> all() {
    OpenCv.load();
    Mat bgr = new Mat(HEIGHT, WIDTH, CvType.CV_8UC3);
    Core.randu(bgr, 0, 256);
    Imgproc.GaussianBlur(bgr, bgr, new Size(9, 9), 3);
    Mat grey = new Mat();
    Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
    try {
      return List.of(
          new Frame("4:2:0", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420, false), false, 64),
          new Frame("4:2:2", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422, false), false, 64),
          new Frame("4:4:4", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444, false), false, 160),
          new Frame("grey", encode(grey, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420, false), false, WIDTH),
          new Frame("progressive 4:2:0", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420, true), true, 64));
    } finally {
      bgr.release();
      grey.release();
    }
  }

  private static byte[] encode(Mat frame, int samplingFactor, boolean progressive) {
    MatOfByte encoded = new MatOfByte();
    try {
      Imgcodecs.imencode(".jpg", frame, encoded, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 92,
          Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, samplingFactor, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE,
          progressive ? 1 : 0));
      return encoded.toArray();
    } finally {
      encoded.release();
    }
  }
}
