package io.cvatfunction.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleBiFunction;

/**
 * The parity check against Ultralytics, for any answer however it was obtained (in-process server, forked
 * JVM, container): every reference shape is matched by a returned shape of the same label — a box with IoU ≥ 0.9,
 * or as alike as the caller measures — and a confidence within 0.02, and nothing else is returned.
 */
public final class ReferenceMatch {

  /** A reference shape and the returned shape that matches it. */
  public record Match(JsonNode reference, JsonNode shape) {}

  private ReferenceMatch() {}

  /**
   * Asserts that {@code body}, answered with {@code status} for {@code frame} of the fixture model's set at its
   * threshold, matches Ultralytics' prediction, as {@link Parity} checks the model's task.
   */
  public static void assertMatches(String model, String frame, int status, String body) {
    Parity.FixtureModel.named(model).assertMatches(frame, status, body);
  }

  /**
   * Pairs each of Ultralytics' shapes for {@code frame} with the returned shape of its label whose box, read by
   * {@code boxOf}, overlaps it most, and asserts that every pair's boxes overlap with IoU ≥ 0.9 and confidences
   * agree within 0.02 and that no shape is left unpaired on either side.
   */
  public static List<Match> matches(String model, String frame, JsonNode actual, Function<JsonNode, double[]> boxOf) {
    return matches(Fixtures.SHAPES, model, frame, actual,
        (ref, shape) -> Fixtures.iou(box(ref), boxOf.apply(shape)), 0.9, "IoU");
  }

  /**
   * Pairs each of Ultralytics' shapes for a frame of {@code set} with the returned shape of its label that is most
   * like it by {@code likeness} (higher is more alike), and asserts that every pair is at least {@code minimum} alike,
   * that confidences agree within 0.02 and that no shape is left unpaired on either side.
   *
   * @param likeness of a reference shape and a returned one
   * @param measure what the likeness is, for messages
   */
  public static List<Match> matches(String set, String model, String frame, JsonNode actual,
      ToDoubleBiFunction<JsonNode, JsonNode> likeness, double minimum, String measure) {
    JsonNode expected = Fixtures.reference(set, model, frame);
    assertEquals(expected.size(), actual.size(), () -> "shape count for " + frame + ": " + actual);
    List<JsonNode> unmatched = new ArrayList<>();
    actual.forEach(unmatched::add);
    List<Match> matches = new ArrayList<>();
    for (JsonNode ref : expected) {
      JsonNode best = null;
      double bestLikeness = Double.NEGATIVE_INFINITY;
      for (JsonNode candidate : unmatched) {
        double alike = likeness.applyAsDouble(ref, candidate);
        if (candidate.get("label").asText().equals(ref.get("label").asText()) && alike > bestLikeness) {
          best = candidate;
          bestLikeness = alike;
        }
      }
      JsonNode match = best;
      double matchLikeness = bestLikeness;
      assertTrue(match != null && matchLikeness >= minimum,
          () -> frame + ": no shape matches " + ref.get("label") + " " + ref.get("points") + " (best " + measure + " "
              + matchLikeness + ") in " + actual);
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
