package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.FormatFrames;
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
    assertEquals("libjpeg-turbo (SIMD) and OpenCV", decoder.description());
  }

  @TestFactory
  Iterable<DynamicTest> everyFixtureAndLayoutDecodesAsOpenCvDoes() {
    Map<String, byte[]> frames = JpegLayouts.frames();
    frames.put("restart markers", FormatFrames.jpegWithRestarts());
    frames.put("bytes after the end marker", FormatFrames.jpegWithTrailer());
    frames.put("an EXIF that cannot be read (OpenCV: upright)", unreadableExif());
    return frames.entrySet().stream().map(frame -> DynamicTest.dynamicTest(frame.getKey(), () -> {
      Mat expected = Imgcodecs.imdecode(new MatOfByte(frame.getValue()), Imgcodecs.IMREAD_COLOR);
      Mat decoded = LibjpegTurbo.decode(frame.getValue());
      assertNotNull(decoded, "decoded by libjpeg-turbo");
      assertEquals(expected.size(), decoded.size());
      Mat difference = new Mat();
      Core.absdiff(decoded, expected, difference);
      assertEquals(0, Core.countNonZero(difference.reshape(1)), "values off OpenCV's");
      expected.release();
      decoded.release();
      difference.release();
    })).toList();
  }

  private static byte[] unreadableExif() {
    byte[] exif = JpegSegmentsTest.exif(6, false);
    exif[17] = 0x7f; // the high byte of IFD0's offset: far past the end of the file
    return JpegSegmentsTest.withSegment(Fixtures.frame("000.jpg"), exif);
  }

  @Test
  void theDecoderCountsPlainJpegsAndLeavesTheRestToOpenCv() throws Exception {
    decoder.decode(Fixtures.frame("000.jpg")).release();
    decoder.decode(Fixtures.frame("003.png")).release();
    decoder.decode(FormatFrames.jpegProgressive()).release(); // libjpeg-turbo 3.0 and 2.1 may smooth these apart
    decoder.decode(FormatFrames.jpegCmyk()).release();
    assertEquals(Map.of("libjpeg-turbo", 1L, "OpenCV", 3L), decoder.framesDecoded());
    // An EXIF orientation of 6 (turn 90°): OpenCV turns the frame, as cv2 does; libjpeg-turbo alone would not
    Mat turned = decoder.decode(JpegSegmentsTest.withSegment(Fixtures.frame("000.jpg"), JpegSegmentsTest.exif(6,
        false)));
    assertEquals(1080, turned.cols());
    turned.release();
    assertEquals(Map.of("libjpeg-turbo", 1L, "OpenCV", 4L), decoder.framesDecoded());
  }
}
