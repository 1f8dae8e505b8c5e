package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.FormatFrames;
import io.cvatfunction.runtime.TestDetectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Through the real HTTP server and the shapes-yolov8n model, a frame in each format CVAT may send is answered
 * exactly as the same pixels in PNG: a lossless file as the PNG it was written from, a lossy one (the JPEG
 * variants, lossy WebP) as a PNG of the pixels OpenCV decodes from it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrameFormatsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @AutoClose
  private final ServerFixture server = ServerFixture.ready(new TestDetectors.ShapesYolov8n());
  private String pngAnswer;

  @BeforeAll
  void answerThePng() {
    pngAnswer = answer(FormatFrames.png());
    assertTrue(shapes(pngAnswer) >= 3, "the frame must hold shapes for the comparison to mean something: " + pngAnswer);
  }

  static Stream<Arguments> lossless() {
    return arguments(FormatFrames.lossless());
  }

  static Stream<Arguments> lossy() {
    Map<String, Supplier<byte[]>> files = new LinkedHashMap<>(FormatFrames.lossy());
    files.put("fixture 000.jpg", () -> Fixtures.frame("000.jpg"));
    return arguments(files);
  }

  private static Stream<Arguments> arguments(Map<String, Supplier<byte[]>> files) {
    return files.entrySet().stream().map(file -> Arguments.of(file.getKey(), file.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lossless")
  void losslessFramesAreAnsweredAsThePngTheyWereWrittenFrom(String format, Supplier<byte[]> file) {
    assertEquals(pngAnswer, answer(file.get()), format);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lossy")
  void lossyFramesAreAnsweredAsAPngOfTheirPixels(String format, Supplier<byte[]> file) {
    byte[] bytes = file.get();
    String expected = answer(pngOf(bytes));
    assertTrue(shapes(expected) >= 3, expected);
    assertEquals(expected, answer(bytes), format);
  }

  /** The pixels OpenCV decodes from a file, written as PNG. */
  private static byte[] pngOf(byte[] encoded) {
    Mat pixels = Imgcodecs.imdecode(new MatOfByte(encoded), Imgcodecs.IMREAD_COLOR);
    MatOfByte png = new MatOfByte();
    try {
      assertTrue(Imgcodecs.imencode(".png", pixels, png));
      return png.toArray();
    } finally {
      pixels.release();
      png.release();
    }
  }

  private static int shapes(String answer) {
    try {
      return JSON.readTree(answer).size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String answer(byte[] frame) {
    HttpResponse<String> response = server.detect(frame, 0.5);
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }
}
