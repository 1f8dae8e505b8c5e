package io.cvatfunction.runtime.server;

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
 * The OBB model through the real server, on frames it was not trained on: every rotated box Ultralytics finds comes
 * back as a CVAT rectangle of the same label with a {@code rotation} that, drawn as CVAT draws it, covers Ultralytics'
 * box ({@link Parity} says how closely); and nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObbTest {

  @AutoClose
  private final ServerFixture server = ServerFixture.ready(new TestDetectors.ShapesObb());

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.cvatfunction.runtime.Fixtures#FRAMES")
  void rotatedRectanglesMatchUltralytics(String frame) {
    assertRotatedRectanglesMatch(frame, server.detect(Fixtures.frame(Fixtures.OBB, frame), 0.5));
  }

  /** Checks an answer received for {@code frame} of the OBB set at threshold 0.5. */
  static void assertRotatedRectanglesMatch(String frame, HttpResponse<String> response) {
    ReferenceMatch.assertMatches(Parity.FixtureModel.OBB.id(), frame, response.statusCode(), response.body());
  }
}
