package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.Parity;
import io.cvatfunction.runtime.ReferenceMatch;
import io.cvatfunction.runtime.TestDetectors;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The classify model through the real server, on frames it was not trained on: one CVAT tag a frame, Ultralytics'
 * top-1 class with its probability (within 0.001: the same resize, crop and softmax), and the threshold as CVAT's own
 * function applies it (a tag when the probability is at least the threshold; 0 when the request sends none).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClassifyTest {

  private static final String MODEL = Parity.FixtureModel.CLASSIFY.id();

  @AutoClose
  private final ServerFixture server = ServerFixture.ready(new TestDetectors.ShapesCls());

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.cvatfunction.runtime.Fixtures#FRAMES")
  void tagsMatchUltralytics(String frame) {
    assertTagMatches(frame, server.detect(Fixtures.frame(Fixtures.CLASSIFY, frame), null));
  }

  /** Checks an answer received for {@code frame} of the classify set at CVAT's default threshold. */
  static void assertTagMatches(String frame, HttpResponse<String> response) {
    ReferenceMatch.assertMatches(MODEL, frame, response.statusCode(), response.body());
    JsonNode tag = ServerFixture.json(response).get(0);
    assertEquals(String.valueOf(Math.round(tag.get("confidence").asDouble() * 100)),
        tag.get("attributes").get(0).get("value").asText(), frame + ": the confidence attribute");
  }

  @Test
  void readyCountsTheFramesEachCpuDecoderDecoded() {
    JsonNode before = ServerFixture.json(server.health("/ready")).path("framesDecoded");
    assertTagMatches("000.jpg", server.detect(Fixtures.frame(Fixtures.CLASSIFY, "000.jpg"), 0.5));
    JsonNode after = ServerFixture.json(server.health("/ready")).path("framesDecoded");
    assertEquals(before.path("libjpeg-turbo").asLong(-1) + 1, after.path("libjpeg-turbo").asLong(), "a plain JPEG");
    assertEquals(before.path("OpenCV").asLong(-1), after.path("OpenCV").asLong());
  }

  @Test
  void aThresholdAboveTheTopProbabilityLeavesTheFrameUntagged() {
    double top = Fixtures.reference(Fixtures.CLASSIFY, MODEL, "000.jpg").get(0).get("confidence").asDouble();
    assertTrue(top < 1, "the frame's top probability is under 1");
    assertEquals(1, ServerFixture.json(server.detect(Fixtures.frame(Fixtures.CLASSIFY, "000.jpg"), 0.0)).size());
    assertEquals(0, ServerFixture.json(server.detect(Fixtures.frame(Fixtures.CLASSIFY, "000.jpg"), 1.0)).size(),
        "no class is certain: no tag at threshold 1");
  }
}
