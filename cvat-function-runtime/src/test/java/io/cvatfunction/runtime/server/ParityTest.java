package io.cvatfunction.runtime.server;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.ReferenceMatch;
import io.cvatfunction.runtime.TestDetectors;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Through the real HTTP server: every box Ultralytics predicts for the fixture frames (conf 0.5) is
 * matched by a returned box of the same label with IoU ≥ 0.9 and a confidence within 0.02, and nothing
 * else is returned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParityTest {

  @AutoClose
  private final ServerFixture v8 = ServerFixture.ready(new TestDetectors.ShapesYolov8n());
  @AutoClose
  private final ServerFixture e2e = ServerFixture.ready(new TestDetectors.ShapesYolo26n());

  @ParameterizedTest(name = "shapes-yolov8n {0}")
  @FieldSource("io.cvatfunction.runtime.Fixtures#FRAMES")
  void rawHeadMatchesUltralytics(String frame) {
    assertMatches("shapes-yolov8n", frame, v8);
  }

  @ParameterizedTest(name = "shapes-yolo26n {0}")
  @FieldSource("io.cvatfunction.runtime.Fixtures#FRAMES")
  void endToEndHeadMatchesUltralytics(String frame) {
    assertMatches("shapes-yolo26n", frame, e2e);
  }

  static void assertMatches(String model, String frame, ServerFixture server) {
    assertMatches(model, frame, server.detect(Fixtures.frame(frame), 0.5));
  }

  /** Checks an answer already received for {@code frame} at threshold 0.5 (for clients other than the fixture's). */
  static void assertMatches(String model, String frame, HttpResponse<String> response) {
    ReferenceMatch.assertMatches(model, frame, response.statusCode(), response.body());
  }

}
