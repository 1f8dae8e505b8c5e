package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.ReferenceMatch;
import io.cvatfunction.runtime.TestDetectors;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The segmentation model through the real server: every instance Ultralytics finds comes back as a CVAT
 * mask whose box matches (IoU ≥ 0.9, same label, confidence within 0.02) and whose pixels overlap the
 * filled reference contour ({@code masks.xy}) with IoU ≥ 0.9.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentationTest {

  @AutoClose
  private final ServerFixture server = ServerFixture.ready(new TestDetectors.ShapesSeg());

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.cvatfunction.runtime.Fixtures#FRAMES")
  void masksMatchUltralytics(String frame) {
    assertMasksMatch(frame, server.detect(Fixtures.frame(frame), 0.5));
  }

  /** Checks an answer received for {@code frame} at threshold 0.5. */
  static void assertMasksMatch(String frame, HttpResponse<String> response) {
    ReferenceMatch.assertMatches("shapes-yolov8n-seg", frame, response.statusCode(), response.body());
  }

  @Test
  void polygonsOnRequest() {
    JsonNode shapes = ServerFixture.shapesOnce(new TestDetectors.ShapesSegPolygons(), Fixtures.frame("000.jpg"));
    assertEquals(Fixtures.reference("shapes-yolov8n-seg", "000.jpg").size(), shapes.size());
    shapes.forEach(shape -> {
      assertEquals("polygon", shape.get("type").asText());
      assertTrue(shape.path("mask").isMissingNode());
      assertTrue(shape.get("points").size() >= 6);
    });
  }
}
