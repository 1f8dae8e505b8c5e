package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.TestDetectors;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** More clients than workers, for a bounded time: every request is answered, correctly or with a prompt 503. */
class LoadIT {

  private static final int CLIENTS = 8;

  /** One request as a client saw it. */
  private record Sample(int client, String frame, int status, double millis, String problem) {}

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void eightClientsOnTwoWorkersGetOnlyCorrectAnswers() throws Exception {
    Duration duration = Duration.ofSeconds(20);
    Map<String, byte[]> bodies = new TreeMap<>();
    for (String frame : Fixtures.FRAMES) {
      bodies.put(frame, ("{\"image\": \"" + Base64.getEncoder().encodeToString(Fixtures.frame(frame))
          + "\", \"threshold\": 0.5}").getBytes(StandardCharsets.UTF_8));
    }
    try (ServerFixture server = ServerFixture.ready(new TestDetectors.ShapesYolov8n(), Map.of("cvat.workers", "2"))) {
      List<Sample> samples = run(duration, (client, running) -> {
        List<Sample> mine = new ArrayList<>();
        for (int i = 0; running.getAsBoolean(); i++) {
          String frame = Fixtures.FRAMES.get((client * 5 + i) % Fixtures.FRAMES.size());
          long start = System.nanoTime();
          HttpResponse<String> response;
          try {
            response = server.send(HttpRequest.newBuilder(server.url("/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(frame)))
                .timeout(Duration.ofSeconds(30)).build());
          } catch (UncheckedIOException e) {
            mine.add(new Sample(client, frame, -1, millisSince(start), "dropped: " + e.getCause()));
            return mine;
          }
          double millis = millisSince(start);
          String problem = null;
          try {
            ParityTest.assertMatches("shapes-yolov8n", frame, response);
          } catch (AssertionError wrong) {
            problem = wrong.getMessage();
          }
          mine.add(new Sample(client, frame, response.statusCode(), millis, problem));
        }
        return mine;
      });

      List<String> problems = samples.stream().filter(s -> s.problem() != null)
          .map(s -> "client " + s.client() + " " + s.frame() + ": " + s.problem()).toList();
      List<Double> latencies = samples.stream().map(Sample::millis).sorted().toList();
      Map<Integer, Long> perClient = new TreeMap<>();
      samples.forEach(s -> perClient.merge(s.client(), 1L, Long::sum));
      System.out.printf("load: %d clients, 2 workers, %d s: %d requests (%.1f req/s), %d errors; "
              + "latency median %.0f ms, p95 %.0f ms, max %.0f ms; per client %s%n",
          CLIENTS, duration.toSeconds(), samples.size(), samples.size() / (double) duration.toSeconds(),
          problems.size(), percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 100),
          perClient.values());
      assertTrue(problems.isEmpty(), () -> problems.size() + " errors, e.g. "
          + problems.subList(0, Math.min(5, problems.size())));
      assertEquals(CLIENTS, perClient.size());
      // The fair worker queue serves every client, and none waits near the 10 s availability timeout.
      perClient.forEach((client, count) -> assertTrue(count >= 3, "client " + client + " got " + count + " answers"));
      assertTrue(percentile(latencies, 100) < 10_000, "a request waited " + percentile(latencies, 100) + " ms");
      assertEquals(200, server.health("/ready").statusCode());
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void requestsBeyondTheWorkersGet503QuicklyAndNeverHang() throws Exception {
    // One worker, 300 ms availability timeout; each request holds the worker 200 ms.
    long availabilityMs = 300;
    long holdMs = 200;
    try (ServerFixture server = ServerFixture.ready(ScriptedHandler.loaded())) {
      List<Sample> samples = run(Duration.ofSeconds(4), (client, running) -> {
        List<Sample> mine = new ArrayList<>();
        while (running.getAsBoolean()) {
          long start = System.nanoTime();
          HttpResponse<String> response;
          try {
            response = server.send(HttpRequest.newBuilder(server.url("/"))
                .POST(HttpRequest.BodyPublishers.ofString("sleep:" + holdMs)).timeout(Duration.ofSeconds(5)).build());
          } catch (UncheckedIOException e) {
            mine.add(new Sample(client, "", -1, millisSince(start), "no answer: " + e.getCause()));
            return mine;
          }
          double millis = millisSince(start);
          String problem = switch (response.statusCode()) {
            case 200 -> millis < availabilityMs + holdMs + 3_000 ? null : "a 200 took " + millis + " ms";
            case 503 -> !ServerFixture.json(response).path("error").asText().contains("workers stayed busy for 300 ms")
                ? "503 without the reason: " + response.body()
                : millis < availabilityMs - 10 ? "a 503 came before the availability timeout, after " + millis + " ms"
                : millis > availabilityMs + 3_000 ? "a 503 took " + millis + " ms" : null;
            default -> "status " + response.statusCode() + ": " + response.body();
          };
          mine.add(new Sample(client, "", response.statusCode(), millis, problem));
        }
        return mine;
      });

      Map<Integer, Integer> byStatus = new TreeMap<>();
      samples.forEach(s -> byStatus.merge(s.status(), 1, Integer::sum));
      List<Double> refused = samples.stream().filter(s -> s.status() == 503).map(Sample::millis).sorted().toList();
      List<Double> served = samples.stream().filter(s -> s.status() == 200).map(Sample::millis).sorted().toList();
      System.out.printf("overload: %d clients, 1 worker, 300 ms availability: %s; 503 after median %.0f ms, max %.0f ms;"
              + " 200 after median %.0f ms, max %.0f ms%n", CLIENTS, byStatus,
          percentile(refused, 50), percentile(refused, 100), percentile(served, 50), percentile(served, 100));
      List<String> problems = samples.stream().map(Sample::problem).filter(p -> p != null).toList();
      assertTrue(problems.isEmpty(), () -> problems.size() + " problems, e.g. "
          + problems.subList(0, Math.min(5, problems.size())));
      assertTrue(refused.size() >= 10, "requests beyond the one worker must be refused: " + byStatus);
      // The worker stays busy while clients wait: about 4 s / 200 ms = 20 requests can be served.
      assertTrue(served.size() >= 5, "the worker must keep serving: " + byStatus);
      assertEquals(200, server.post("after".getBytes()).statusCode());
    }
  }

  /** A client's loop: it sends requests while {@code running} says so (or stops at a dropped connection). */
  private interface Client {
    List<Sample> run(int client, BooleanSupplier running) throws Exception;
  }

  /** Runs {@link #CLIENTS} clients for {@code duration}; each finishes the request it is in. */
  private static List<Sample> run(Duration duration, Client client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<Future<List<Sample>>> futures = new ArrayList<>();
    long end = System.nanoTime() + duration.toNanos();
    for (int i = 0; i < CLIENTS; i++) {
      int id = i;
      futures.add(pool.submit(() -> client.run(id, () -> System.nanoTime() < end)));
    }
    try {
      List<Sample> all = new ArrayList<>();
      for (Future<List<Sample>> future : futures) {
        all.addAll(future.get(60, TimeUnit.SECONDS));
      }
      return Collections.unmodifiableList(all);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
