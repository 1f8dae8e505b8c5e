package io.cvatfunction.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The parity check against Ultralytics, for any answer however it was obtained (in-process server, forked
 * JVM, container): every reference box is matched by a returned box of the same label with IoU ≥ 0.9 and a
 * confidence within 0.02, and nothing else is returned.
 */
public final class ReferenceMatch {

  /** A reference shape and the returned shape that matches it. */
  public record Match(JsonNode reference, JsonNode shape) {}

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
    for (Match match : matches(model, frame, actual, ReferenceMatch::box)) {
      assertEquals("rectangle", match.shape().get("type").asText());
    }
  }

  /**
   * Pairs each of Ultralytics' shapes for {@code frame} with the returned shape of its label whose box, read by
   * {@code boxOf}, overlaps it most, and asserts that every pair's boxes overlap with IoU ≥ 0.9 and confidences
   * agree within 0.02 and that no shape is left unpaired on either side.
   */
  public static List<Match> matches(String model, String frame, JsonNode actual, Function<JsonNode, double[]> boxOf) {
    JsonNode expected = Fixtures.reference(model, frame);
    assertEquals(expected.size(), actual.size(), () -> "shape count for " + frame + ": " + actual);
    List<JsonNode> unmatched = new ArrayList<>();
    actual.forEach(unmatched::add);
    List<Match> matches = new ArrayList<>();
    for (JsonNode ref : expected) {
      JsonNode best = null;
      double bestIou = 0;
      for (JsonNode candidate : unmatched) {
        double iou = Fixtures.iou(box(ref), boxOf.apply(candidate));
        if (candidate.get("label").asText().equals(ref.get("label").asText()) && iou > bestIou) {
          best = candidate;
          bestIou = iou;
        }
      }
      JsonNode match = best;
      double matchIou = bestIou;
      assertTrue(match != null && matchIou >= 0.9,
          () -> frame + ": no shape matches " + ref.get("label") + " " + ref.get("points") + " (best IoU " + matchIou
              + ") in " + actual);
      assertEquals(ref.get("confidence").asDouble(), match.get("confidence").asDouble(), 0.02,
          () -> frame + ": confidence of " + ref);
      unmatched.remove(match);
      matches.add(new Match(ref, match));
    }
    return matches;
  }

  /** The {@code [x1, y1, x2, y2]} of a CVAT rectangle. */
  public static double[] box(JsonNode shape) {
    JsonNode p = shape.get("points");
    return new double[] {p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asDouble(), p.get(3).asDouble()};
  }
}
