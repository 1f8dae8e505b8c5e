package io.cvatfunction.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parity check against Ultralytics, for any answer however it was obtained (in-process server, forked
 * JVM, container): every reference box is matched by a returned box of the same label with IoU ≥ 0.9 and a
 * confidence within 0.02, and nothing else is returned.
 */
public final class ReferenceMatch {

  private ReferenceMatch() {}

  /** Asserts that {@code body}, answered with {@code status} for {@code frame} at threshold 0.5, matches. */
  public static void assertMatches(String model, String frame, int status, String body) {
    assertEquals(200, status, body);
    JsonNode actual;
    try {
      actual = new ObjectMapper().readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
    JsonNode expected = Fixtures.reference(model, frame);
    assertEquals(expected.size(), actual.size(), () -> "box count for " + frame + ": " + body);
    List<JsonNode> unmatched = new ArrayList<>();
    actual.forEach(unmatched::add);
    for (JsonNode ref : expected) {
      JsonNode best = null;
      double bestIou = 0;
      for (JsonNode candidate : unmatched) {
        double iou = Fixtures.iou(box(ref), box(candidate));
        if (candidate.get("label").asText().equals(ref.get("label").asText()) && iou > bestIou) {
          best = candidate;
          bestIou = iou;
        }
      }
      JsonNode match = best;
      double matchIou = bestIou;
      assertTrue(match != null && matchIou >= 0.9,
          () -> frame + ": no box matches " + ref + " (best IoU " + matchIou + ") in " + body);
      assertEquals("rectangle", match.get("type").asText());
      assertEquals(ref.get("confidence").asDouble(), match.get("confidence").asDouble(), 0.02,
          () -> frame + ": confidence of " + ref);
      unmatched.remove(match);
    }
  }

  /** The {@code [x1, y1, x2, y2]} of a CVAT rectangle. */
  public static double[] box(JsonNode shape) {
    JsonNode p = shape.get("points");
    return new double[] {p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asDouble(), p.get(3).asDouble()};
  }
}
