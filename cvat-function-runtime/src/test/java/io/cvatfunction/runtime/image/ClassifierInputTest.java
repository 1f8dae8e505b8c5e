package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.TestManagers;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * A classifier's input for each classify fixture frame against the one Ultralytics' pipeline makes, value for value:
 * {@code classifier-inputs/NNN.png} is {@code cv2.imread} (OpenCV 4.6), {@code cv2.cvtColor(BGR2RGB)}, {@code
 * PIL.Image.fromarray}, torchvision's {@code Resize(96)} (Pillow 9.4's bilinear) and {@code CenterCrop(96)} of the
 * frame, saved as PNG. The model sees these values divided by 255, RGB, channels first.
 */
class ClassifierInputTest {

  @AutoClose
  private static final NDManager manager = TestManagers.cpu();

  @BeforeAll
  static void open() {
    OpenCv.load();
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.cvatfunction.runtime.Fixtures#FRAMES")
  void resizesAndCropsAsUltralytics(String frame) throws Exception {
    byte[] expected = expectedRgb(frame.substring(0, 3));
    try (NDManager request = manager.newSubManager();
        ClassifierInput input = new ClassifierInput(new FrameDecoder(50_000_000), 96)) {
      ModelInput prepared = input.prepare(Fixtures.frame(Fixtures.CLASSIFY, frame), request, new RequestTrace());
      assertEquals(new ai.djl.ndarray.types.Shape(1, 3, 96, 96), prepared.batch().getShape());
      float[] chw = prepared.batch().toFloatArray();
      byte[] ours = new byte[expected.length];
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < 96 * 96; i++) {
          ours[i * 3 + c] = (byte) Math.round(chw[c * 96 * 96 + i] * 255);
        }
      }
      assertArrayEquals(expected, ours, frame);
      assertEquals(CenterCrop.class, prepared.geometry().getClass());
    }
  }

  /** The expected input as RGB bytes, row by row. */
  private static byte[] expectedRgb(String name) {
    byte[] png = Fixtures.resource("io/cvatfunction/runtime/image/classifier-inputs/" + name + ".png");
    Mat bgr = Imgcodecs.imdecode(new MatOfByte(png), Imgcodecs.IMREAD_COLOR);
    try {
      byte[] pixels = new byte[(int) bgr.total() * 3];
      bgr.get(0, 0, pixels);
      for (int i = 0; i < pixels.length; i += 3) {
        byte blue = pixels[i];
        pixels[i] = pixels[i + 2];
        pixels[i + 2] = blue;
      }
      return pixels;
    } finally {
      bgr.release();
    }
  }
}
