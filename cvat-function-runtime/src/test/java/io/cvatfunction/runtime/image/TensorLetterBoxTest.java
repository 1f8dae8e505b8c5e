package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.image.FramePreprocessor.ModelInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The tensor letterbox (the GPU path's, run here on the CPU) against the OpenCV letterbox the CPU path uses,
 * on the same decoded pixels: padding identical, every pixel within one grey level, at least nine in ten equal
 * (cv2 resizes 8-bit images with 11-bit fixed-point weights, torch in float: 7% of the values of a resized
 * 1080p frame land one level apart).
 */
class TensorLetterBoxTest {

  private static final FrameDecoder DECODER = new FrameDecoder(50_000_000);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"000.jpg", "003.png", "009.jpg", "010.jpg"})
  void matchesTheOpenCvLetterbox(String frame) throws BadRequestException {
    assertSamePixels(Fixtures.frame(frame));
  }

  @Test
  void matchesTheOpenCvLetterboxWhenScalingUpAndWithOddSizes() throws BadRequestException {
    assertSamePixels(png(51, 100, new Scalar(10, 200, 90)));
    assertSamePixels(png(641, 479, new Scalar(250, 3, 128)));
    assertSamePixels(png(640, 480, new Scalar(0, 0, 0))); // no resize, padding only
  }

  @Test
  void refusesAFrameOfAnotherShape() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray hwc = manager.zeros(new Shape(480, 640, 3), DataType.UINT8);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TensorLetterBox.apply(hwc, LetterBox.of(640, 480, 640, 640)));
      assertTrue(e.getMessage().contains("expected a [3, 480, 640] frame"), e.getMessage());
    }
  }

  private static void assertSamePixels(byte[] encoded) throws BadRequestException {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        FramePreprocessor cpu = FramePreprocessor.create(DECODER, 640, 640, "cpu", manager)) {
      ModelInput expected = cpu.prepare(encoded, manager, new RequestTrace());
      Mat bgr = DECODER.decode(encoded);
      NDArray rgb;
      try {
        rgb = FramePreprocessor.upload(manager, bgr); // float RGB CHW /255, as the GPU gets it from nvJPEG
      } finally {
        bgr.release();
      }
      NDArray chw = rgb.get(0).mul(255f).round().toType(DataType.UINT8, false);
      NDArray actual = TensorLetterBox.apply(chw, expected.letterBox());

      assertEquals(expected.batch().getShape(), actual.getShape());
      float[] a = expected.batch().toFloatArray();
      float[] b = actual.toFloatArray();
      LetterBox box = expected.letterBox();
      int h = box.dstHeight();
      int w = box.dstWidth();
      long differing = 0;
      long interior = 0;
      for (int i = 0; i < a.length; i++) {
        int y = i / w % h;
        int x = i % w;
        boolean pad = y < box.top() || y >= box.top() + box.resizedHeight()
            || x < box.left() || x >= box.left() + box.resizedWidth();
        if (pad) {
          assertEquals(a[i], b[i], 0f, "padding at " + x + "," + y);
        } else {
          assertEquals(a[i], b[i], 1.01f / 255, "pixel at " + x + "," + y);
          differing += a[i] != b[i] ? 1 : 0;
          interior++;
        }
      }
      assertTrue(differing <= interior / 10, differing + " of " + interior + " values differ by a grey level");
    }
  }

  private static byte[] png(int width, int height, Scalar bgr) {
    Mat image = new Mat(height, width, CvType.CV_8UC3, bgr);
    // A gradient, so the resize has something to interpolate.
    for (int y = 0; y < height; y += 7) {
      image.row(y).setTo(new Scalar(y % 256, 255 - y % 256, 60));
    }
    MatOfByte out = new MatOfByte();
    try {
      Imgcodecs.imencode(".png", image, out);
      return out.toArray();
    } finally {
      image.release();
      out.release();
    }
  }
}
