package io.cvatfunction.benchmarks;

import static io.cvatfunction.benchmarks.LoopbackServer.rssKb;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.Parity.FixtureModel;
import io.cvatfunction.runtime.server.FunctionServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A soak run: the YOLOv8n shapes function in this JVM under steady load from several clients for minutes,
 * with a share of bad requests (truncated frames, a decompression-bomb PNG, broken JSON) so the error paths
 * run too. Every 10 s it prints the process's resident memory (VmRSS of /proc/self/status); at the end the
 * first, last and largest value. A leak of native memory (tensors, OpenCV matrices) shows as a steady climb.
 *
 * <p>System properties: {@code soak.minutes} (default 10), {@code soak.clients} (8), {@code soak.workers} (4),
 * {@code soak.sampleSeconds} (10), {@code soak.badEvery} (every n-th request of a client is bad, default 10),
 * {@code cvat.device} ({@code cpu}). Every answer to a good request is compared with Ultralytics' reference for its
 * frame (as the parity tests do); exits 1 if any answer was wrong or missing.
 */
public final class SoakRun {

  private SoakRun() {}

  private record Sample(double minutes, long rssKb, long heapUsedKb, long heapCommittedKb, long requests) {}

  public static void main(String[] args) throws Exception {
    double minutes = Double.parseDouble(System.getProperty("soak.minutes", "10"));
    int clients = Integer.getInteger("soak.clients", 8);
    int workers = Integer.getInteger("soak.workers", 4);
    int sampleSeconds = Integer.getInteger("soak.sampleSeconds", 10);
    int badEvery = Integer.getInteger("soak.badEvery", 10);

    Map<String, String> settings = Map.of("cvat.device", System.getProperty("cvat.device", "cpu"),
        "cvat.workers", Integer.toString(workers));
    int exit;
    try (FunctionServer server = LoopbackServer.startReady(new RequestBenchmark.V8(), settings)) {
      exit = soak(server.port(), minutes, clients, sampleSeconds, badEvery, workers);
    }
    System.exit(exit);
  }

  private static int soak(int port, double minutes, int clients, int sampleSeconds, int badEvery, int workers)
      throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<String> frames = Fixtures.FRAMES;
    Requests good = Requests.of(FixtureModel.named("shapes-yolov8n"), frames);
    byte[] jpeg = Fixtures.frame("008.jpg");
    List<byte[]> bad = List.of(
        body(Arrays.copyOf(jpeg, jpeg.length / 2)),
        body(Fixtures.pngDeclaring(20_000, 20_000)),
        "{\"image\": 12}".getBytes(StandardCharsets.UTF_8),
        "{\"image\": \"not base64\"".getBytes(StandardCharsets.UTF_8),
        new byte[0]);

    AtomicLong requests = new AtomicLong();
    Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    long end = start + (long) (minutes * 60e9);

    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      running.add(pool.submit(() -> {
        for (long i = 0; System.nanoTime() < end; i++) {
          boolean hostile = badEvery > 0 && i % badEvery == badEvery - 1;
          int index = (int) ((client * 7 + i) % frames.size());
          String frame = frames.get(index);
          byte[] payload = hostile ? bad.get((int) ((client + i) % bad.size())) : good.json().get(index);
          String outcome;
          try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
            outcome = Integer.toString(response.statusCode());
            boolean right = hostile
                ? response.statusCode() >= 400 && response.statusCode() < 500 && response.body().contains("\"error\"")
                : good.matches(index, response.statusCode(), response.body());
            if (!right) {
              problems.add((hostile ? "bad request" : frame) + ": " + response.statusCode() + " "
                  + response.body().substring(0, Math.min(200, response.body().length())));
            }
          } catch (IOException e) {
            outcome = "dropped";
            problems.add(frame + ": " + e);
          } catch (InterruptedException e) {
            return;
          }
          outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
          requests.incrementAndGet();
        }
      }));
    }

    System.out.printf("soak: %.1f min, %d clients, %d workers, every %d-th request bad, RSS every %d s%n",
        minutes, clients, workers, badEvery, sampleSeconds);
    // RSS includes the Java heap the JVM has committed; RSS minus that is mostly native memory (libtorch, OpenCV).
    System.out.printf("%8s %10s %14s %14s %10s%n", "minute", "RSS MiB", "heap used MiB", "committed MiB", "requests");
    List<Sample> samples = new ArrayList<>();
    while (true) {
      Runtime runtime = Runtime.getRuntime();
      Sample sample = new Sample((System.nanoTime() - start) / 60e9, rssKb(),
          (runtime.totalMemory() - runtime.freeMemory()) / 1024, runtime.totalMemory() / 1024, requests.get());
      samples.add(sample);
      System.out.printf("%8.2f %10.1f %14.1f %14.1f %10d%n", sample.minutes(), sample.rssKb() / 1024.0,
          sample.heapUsedKb() / 1024.0, sample.heapCommittedKb() / 1024.0, sample.requests());
      long left = end - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Thread.sleep(Math.min(TimeUnit.SECONDS.toMillis(sampleSeconds), TimeUnit.NANOSECONDS.toMillis(left) + 1));
    }
    for (Future<?> client : running) {
      client.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();

    double seconds = (System.nanoTime() - start) / 1e9;
    Sample first = samples.get(0);
    Sample last = samples.get(samples.size() - 1);
    Sample max = samples.stream().max((a, b) -> Long.compare(a.rssKb(), b.rssKb())).orElseThrow();
    System.out.printf("%nRSS: first %.1f MiB, last %.1f MiB, max %.1f MiB (at %.2f min) over %.1f min%n",
        first.rssKb() / 1024.0, last.rssKb() / 1024.0, max.rssKb() / 1024.0, max.minutes(), seconds / 60);
    // The first minute is warm-up (allocator pools, JIT, caches); a leak keeps climbing after it.
    samples.stream().filter(s -> s.minutes() >= 1).findFirst().ifPresent(warm -> System.out.printf(
        "after the first minute: RSS %.1f MiB, at the end %+.1f MiB from there (committed heap %+.1f MiB)%n",
        warm.rssKb() / 1024.0, (last.rssKb() - warm.rssKb()) / 1024.0,
        (last.heapCommittedKb() - warm.heapCommittedKb()) / 1024.0));
    System.out.printf("requests: %d in %.0f s (%.1f req/s), by outcome %s, %d wrong or missing answers%n",
        requests.get(), seconds, requests.get() / seconds, new TreeMap<>(outcomes), problems.size());
    problems.stream().limit(10).forEach(p -> System.out.println("  " + p));
    return problems.isEmpty() ? 0 : 1;
  }

  private static byte[] body(byte[] image) {
    return ("{\"image\": \"" + Base64.getEncoder().encodeToString(image) + "\", \"threshold\": 0.5}")
        .getBytes(StandardCharsets.UTF_8);
  }


}
