package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.JpegLayouts;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Plain JPEG frames decoded by libjpeg-turbo's SIMD code give OpenCV's pixels, value for value, on every fixture
 * frame and every layout; the others stay with OpenCV. The project's platform (Linux on x86-64) has the natives.
 */
class LibjpegTurboTest {

  static {
    OpenCv.load();
  }

  private final FrameDecoder decoder = new FrameDecoder(50_000_000);

  @Test
  void servesOnThisPlatform() {
    assertTrue(LibjpegTurbo.available(), LibjpegTurbo.unavailableReason());
    assertNull(decoder.libjpegTurboUnavailable());
    assertEquals("libjpeg-turbo (SIMD) and OpenCV", decoder.description());
  }

  @TestFactory
  Iterable<DynamicTest> everyFixtureAndLayoutDecodesAsOpenCvDoes() {
    Map<String, byte[]> frames = JpegLayouts.frames();
    frames.put("progressive 4:2:0 test frame", JpegTestFrames.all().get(4).jpeg());
    return frames.entrySet().stream().map(frame -> DynamicTest.dynamicTest(frame.getKey(), () -> {
      Mat expected = Imgcodecs.imdecode(new MatOfByte(frame.getValue()), Imgcodecs.IMREAD_COLOR);
      Mat decoded = LibjpegTurbo.decode(frame.getValue());
      assertNotNull(decoded, "decoded by libjpeg-turbo");
      Mat difference = new Mat();
      Core.absdiff(decoded, expected, difference);
      assertEquals(expected.size(), decoded.size());
      assertEquals(0, Core.countNonZero(difference.reshape(1)), "values off OpenCV's");
      expected.release();
      decoded.release();
      difference.release();
    })).toList();
  }

  @Test
  void theDecoderCountsPlainJpegsAndLeavesTheRestToOpenCv() throws Exception {
    decoder.decode(Fixtures.frame("000.jpg")).release();
    decoder.decode(Fixtures.frame("003.png")).release();
    // An EXIF orientation of 6 (turn 90°): OpenCV turns the frame, as cv2 does; libjpeg-turbo alone would not
    Mat turned = decoder.decode(JpegSegmentsTest.withSegment(Fixtures.frame("000.jpg"), JpegSegmentsTest.exif(6,
        false)));
    assertEquals(1080, turned.cols());
    turned.release();
    assertEquals(Map.of("libjpeg-turbo", 1L, "OpenCV", 2L), decoder.framesDecoded());
  }
}
