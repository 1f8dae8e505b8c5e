package io.cvatfunction.benchmarks;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.Parity.FixtureModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A benchmark's request bodies, one per frame of a fixture model's set, and the check of every answer against
 * Ultralytics' reference for its frame: the count of answers that did not match, the first few printed.
 */
final class Requests {

  private static final int PRINTED = 5;

  private final FixtureModel model;
  private final List<String> frames;
  private final List<byte[]> json;
  private final long averageFrameBytes;
  private final AtomicInteger checked = new AtomicInteger();
  private final AtomicInteger mismatches = new AtomicInteger();

  private Requests(FixtureModel model, List<String> frames, List<byte[]> json, long averageFrameBytes) {
    this.model = model;
    this.frames = frames;
    this.json = json;
    this.averageFrameBytes = averageFrameBytes;
  }

  /** The bodies of {@code frames} of the model's set, at the threshold its references were made for. */
  static Requests of(FixtureModel model, List<String> frames) {
    List<byte[]> json = new ArrayList<>(frames.size());
    long bytes = 0;
    for (String frame : frames) {
      byte[] file = Fixtures.frame(model.set(), frame);
      bytes += file.length;
      json.add(("{\"image\": \"" + Base64.getEncoder().encodeToString(file) + "\""
          + (model.threshold() == null ? "" : ", \"threshold\": " + model.threshold()) + "}")
          .getBytes(StandardCharsets.US_ASCII));
    }
    return new Requests(model, List.copyOf(frames), List.copyOf(json), bytes / frames.size());
  }

  /** The bodies, by index. */
  List<byte[]> json() {
    return json;
  }

  long averageFrameBytes() {
    return averageFrameBytes;
  }

  /** Checks one answer against the reference of the frame it answers; counts and prints the first mismatches. */
  KeepAliveClient.Answer check(KeepAliveClient.Answer answer) {
    matches(answer.request(), answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
    return answer;
  }

  /** Checks the answer to body {@code index}; counts and prints the first mismatches. */
  boolean matches(int index, int status, String body) {
    checked.incrementAndGet();
    String frame = frames.get(index);
    try {
      model.assertMatches(frame, status, body);
      return true;
    } catch (AssertionError mismatch) {
      if (mismatches.incrementAndGet() <= PRINTED) {
        System.out.printf("MISMATCH %s %s: %s%n", model.id(), frame, mismatch.getMessage());
      }
      return false;
    }
  }

  int checked() {
    return checked.get();
  }

  int mismatches() {
    return mismatches.get();
  }
}
