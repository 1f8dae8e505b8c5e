package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.Parity;
import io.cvatfunction.runtime.ReferenceMatch;
import io.cvatfunction.runtime.TestDetectors;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The pose model through the real server, on frames it was not trained on: every object Ultralytics finds comes back
 * as a CVAT skeleton of the same label whose elements are the keypoints by the names the function gives them, placed
 * and hidden as {@link Parity} checks, with the score in the confidence attribute; and nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoseTest {

  @AutoClose
  private final ServerFixture server = ServerFixture.ready(new TestDetectors.ShapesPose());

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.cvatfunction.runtime.Fixtures#FRAMES")
  void skeletonsMatchUltralytics(String frame) {
    HttpResponse<String> response = server.detect(Fixtures.frame(Fixtures.POSE, frame), 0.5);
    assertSkeletonsMatch(frame, response);
    for (JsonNode skeleton : ServerFixture.json(response)) {
      assertEquals(String.valueOf(Math.round(skeleton.get("confidence").asDouble() * 100)),
          skeleton.get("attributes").get(0).get("value").asText(), frame + ": the confidence attribute");
    }
  }

  /** Checks an answer received for {@code frame} of the pose set at threshold 0.5. */
  static void assertSkeletonsMatch(String frame, HttpResponse<String> response) {
    ReferenceMatch.assertMatches(Parity.FixtureModel.POSE.id(), frame, response.statusCode(), response.body());
  }
}
