package io.cvatfunction.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The fixture JPEGs, and JPEGs of every layout the GPU path decodes, made from {@code 000.jpg} by OpenCV's encoder:
 * grey, 4:4:4, 4:2:2 and 4:2:0 chroma; odd sizes; frames the letterbox shrinks by 2 exactly, enlarges, or leaves
 * unscaled; chroma planes one, two and three samples wide, where libjpeg switches how it upsamples. OpenCV's native
 * library must be loaded first, as the runtime's frame decoder does: where it comes from is the runtime's rule.
 */
public final class JpegLayouts {

  private static final int S420 = Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420;
  private static final int S422 = Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422;
  private static final int S444 = Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444;

  private JpegLayouts() {}

  /** Name to JPEG bytes, fixtures first. */
  public static Map<String, byte[]> frames() {
    Map<String, byte[]> frames = new LinkedHashMap<>();
    for (String name : Fixtures.FRAMES) {
      if (name.endsWith(".jpg")) {
        frames.put(name, Fixtures.frame(name));
      }
    }
    Mat hd = Imgcodecs.imdecode(new MatOfByte(Fixtures.frame("000.jpg")), Imgcodecs.IMREAD_COLOR);
    Mat grey = new Mat();
    Imgproc.cvtColor(hd, grey, Imgproc.COLOR_BGR2GRAY);
    Mat crop = hd.submat(new Rect(3, 5, 1279, 719));
    frames.put("000 4:4:4", encode(hd, S444));
    frames.put("000 4:2:2", encode(hd, S422));
    frames.put("000 grey", encode(grey, S420));
    frames.put("000 grey 1280x1280 (halved)", encode(resized(grey, 1280, 1280), S420));
    frames.put("1279x719 4:2:0", encode(crop, S420));
    frames.put("1279x719 4:2:2", encode(crop, S422));
    frames.put("640x640 (unscaled)", encode(hd.submat(new Rect(600, 200, 640, 640)), S420));
    frames.put("1280x720 (halved)", encode(resized(hd, 1280, 720), S420));
    frames.put("333x517 (enlarged)", encode(resized(hd, 333, 517), S420));
    frames.put("5x3 (chroma 3 wide)", encode(resized(hd, 5, 3), S420));
    frames.put("4x2 (chroma 2 wide)", encode(resized(hd, 4, 2), S420));
    frames.put("1x9 4:2:2 (chroma 1 wide)", encode(resized(hd, 1, 9), S422));
    return frames;
  }

  private static Mat resized(Mat frame, int width, int height) {
    Mat out = new Mat();
    Imgproc.resize(frame, out, new Size(width, height), 0, 0, Imgproc.INTER_AREA);
    return out;
  }

  private static byte[] encode(Mat frame, int sampling) {
    MatOfByte out = new MatOfByte();
    Imgcodecs.imencode(".jpg", frame, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 92, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, sampling));
    return out.toArray();
  }
}
