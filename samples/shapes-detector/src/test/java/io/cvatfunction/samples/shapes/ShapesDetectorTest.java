package io.cvatfunction.samples.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.cvat.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The detector finds what Ultralytics finds on two frames (one landscape, one portrait). */
class ShapesDetectorTest {

  private static final ShapesDetector DETECTOR = new ShapesDetector();

  @BeforeAll
  static void load() throws Exception {
    DETECTOR.load(HandlerOptions.cpu());
  }

  @AfterAll
  static void close() {
    DETECTOR.close();
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ShapesDetectorTest.class.getResourceAsStream("/frames/" + name)) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"000", "009"})
  void findsWhatUltralyticsFinds(String frame) throws Exception {
    List<Shape> shapes = DETECTOR.detect(resource(frame + ".jpg"), 0.5f);
    JsonNode expected = new ObjectMapper().readTree(resource(frame + ".expected.json"));
    assertEquals(expected.size(), shapes.size());
    for (JsonNode want : expected) {
      boolean found = shapes.stream().anyMatch(shape -> shape.label().equals(want.get("label").asText())
          && Math.abs(shape.confidence() - want.get("confidence").asDouble()) <= 0.02
          && iou(shape.points(), want.get("points")) >= 0.9);
      assertTrue(found, "no shape matches " + want + " in " + shapes.stream().map(Shape::label).toList());
    }
  }

  private static double iou(float[] a, JsonNode b) {
    double w = Math.min(a[2], b.get(2).asDouble()) - Math.max(a[0], b.get(0).asDouble());
    double h = Math.min(a[3], b.get(3).asDouble()) - Math.max(a[1], b.get(1).asDouble());
    if (w <= 0 || h <= 0) {
      return 0;
    }
    double areaB = (b.get(2).asDouble() - b.get(0).asDouble()) * (b.get(3).asDouble() - b.get(1).asDouble());
    return w * h / ((a[2] - a[0]) * (a[3] - a[1]) + areaB - w * h);
  }
}
