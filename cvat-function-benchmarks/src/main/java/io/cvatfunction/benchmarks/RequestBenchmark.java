package io.cvatfunction.benchmarks;

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.server.FunctionServer;
import io.cvatfunction.runtime.server.ProcessorConfig;
import io.cvatfunction.runtime.server.ServerSettings;
import io.cvatfunction.runtime.yolo.YoloDetector;
import io.cvatfunction.runtime.yolo.YoloModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends a 1920×1080 JPEG frame to the real function server through HTTP on loopback and reports, from one
 * run: per-request latency (median, p90, p99) for one client and for concurrent clients, the median of
 * each stage (from the server's {@code Server-Timing} header), and the forward pass alone on the same
 * model, so the overhead ratio (request ÷ forward) can be read off.
 *
 * <p>System properties: {@code bench.model} ({@code shapes-yolov8n}, {@code shapes-yolo26n} or
 * {@code shapes-yolov8n-seg}),
 * {@code bench.requests} (per phase, default 40), {@code bench.clients} (default 8), {@code bench.frame}
 * (a fixture frame, default {@code 000.jpg}), {@code cvat.device} (default {@code cpu}).
 */
public final class RequestBenchmark {

  private RequestBenchmark() {}

  /** The raw-head model. */
  @CvatFunction(name = "bench-v8", description = "benchmark", model = "classpath:fixtures/models/shapes-yolov8n.torchscript")
  public static class V8 extends Exposed {}

  /** The NMS-free model. */
  @CvatFunction(name = "bench-26", description = "benchmark", model = "classpath:fixtures/models/shapes-yolo26n.torchscript")
  public static class E2e extends Exposed {}

  /** The segmentation model. */
  @CvatFunction(name = "bench-seg", description = "benchmark", model = "classpath:fixtures/models/shapes-yolov8n-seg.torchscript")
  public static class Seg extends Exposed {}

  /** Exposes the loaded model to time the forward pass alone. */
  public abstract static class Exposed extends YoloDetector {
    YoloModel yolo() {
      return model();
    }
  }

  public static void main(String[] args) throws Exception {
    String modelName = System.getProperty("bench.model", "shapes-yolov8n");
    int requests = Integer.getInteger("bench.requests", 40);
    int clients = Integer.getInteger("bench.clients", 8);
    String frameName = System.getProperty("bench.frame", "000.jpg");
    Exposed detector = switch (modelName) {
      case "shapes-yolo26n" -> new E2e();
      case "shapes-yolov8n-seg" -> new Seg();
      case "shapes-yolov8n" -> new V8();
      default -> throw new IllegalArgumentException("bench.model must be shapes-yolov8n, shapes-yolo26n or shapes-yolov8n-seg");
    };

    Map<String, String> settings = Map.of("cvat.host", "127.0.0.1", "cvat.port", "0", "cvat.healthPort", "0",
        "cvat.device", System.getProperty("cvat.device", "cpu"), "cvat.workers", Integer.toString(clients));
    long start = System.nanoTime();
    ServerSettings resolved = ServerSettings.resolve(detector.getClass(), ProcessorConfig.empty(), settings::get);
    try (FunctionServer server = FunctionServer.start(detector, resolved)) {
      if (!server.awaitReady(Duration.ofMinutes(5))) {
        throw new IllegalStateException("the function did not become ready");
      }
      double readyMs = (System.nanoTime() - start) / 1e6;
      byte[] frame = Fixtures.frame(frameName);
      byte[] body = ("{\"image\": \"" + Base64.getEncoder().encodeToString(frame) + "\", \"threshold\": 0.5}").getBytes();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json").build();

      Sample first = send(client, request);
      for (int i = 0; i < 5; i++) {
        send(client, request);
      }
      List<Sample> sequential = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        sequential.add(send(client, request));
      }
      List<Double> forward = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        forward.add(detector.yolo().timeForward() / 1e6);
      }
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<CompletableFuture<Sample>> concurrent = new ArrayList<>();
      long concurrentStart = System.nanoTime();
      for (int i = 0; i < requests * 2; i++) {
        concurrent.add(CompletableFuture.supplyAsync(() -> send(client, request), pool));
      }
      List<Sample> loaded = concurrent.stream().map(CompletableFuture::join).toList();
      double concurrentSeconds = (System.nanoTime() - concurrentStart) / 1e9;
      pool.shutdown();

      report(modelName, frameName, readyMs, first, sequential, forward, loaded, clients, concurrentSeconds);
    }
    System.exit(0);
  }

  private record Sample(double totalMs, Map<String, Double> stages, int status) {}

  private static Sample send(HttpClient client, HttpRequest request) {
    try {
      long start = System.nanoTime();
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      double total = (System.nanoTime() - start) / 1e6;
      Map<String, Double> stages = new LinkedHashMap<>();
      for (String part : response.headers().firstValue("Server-Timing").orElse("").split(",\\s*")) {
        String[] kv = part.split(";dur=");
        if (kv.length == 2) {
          stages.put(kv[0], Double.parseDouble(kv[1]));
        }
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException("status " + response.statusCode() + ": " + new String(response.body()));
      }
      return new Sample(total, stages, response.statusCode());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static void report(String model, String frame, double readyMs, Sample first, List<Sample> sequential,
      List<Double> forward, List<Sample> loaded, int clients, double concurrentSeconds) {
    List<Double> totals = sequential.stream().map(Sample::totalMs).toList();
    double median = percentile(totals, 50);
    double forwardMedian = percentile(forward, 50);
    System.out.printf("%nmodel %s, frame %s (1920x1080 JPEG), device %s, %d requests per phase%n",
        model, frame, System.getProperty("cvat.device", "cpu"), sequential.size());
    System.out.printf("start -> ready (in-process, libraries cached): %.0f ms; first request %.1f ms%n",
        readyMs, first.totalMs());
    System.out.printf("%n1 client:  median %.1f ms, p90 %.1f, p99 %.1f, throughput %.1f req/s%n",
        median, percentile(totals, 90), percentile(totals, 99), 1000.0 / median);
    System.out.println("  stage medians (server side):");
    for (String stage : sequential.get(0).stages().keySet()) {
      List<Double> values = sequential.stream().map(s -> s.stages().getOrDefault(stage, 0.0)).toList();
      System.out.printf("    %-12s %7.2f ms%n", stage, percentile(values, 50));
    }
    double server = percentile(sequential.stream().map(s -> s.stages().values().stream().reduce(0.0, Double::sum)).toList(), 50);
    System.out.printf("    %-12s %7.2f ms (HTTP, base64 transfer and client)%n", "outside", median - server);
    System.out.printf("  forward pass alone: median %.1f ms -> request / forward = %.2fx%n",
        forwardMedian, median / forwardMedian);
    List<Double> loadedTotals = loaded.stream().map(Sample::totalMs).toList();
    System.out.printf("%n%d clients: median %.1f ms, p90 %.1f, p99 %.1f, throughput %.1f req/s (%d requests, 0 errors)%n",
        clients, percentile(loadedTotals, 50), percentile(loadedTotals, 90), percentile(loadedTotals, 99),
        loaded.size() / concurrentSeconds, loaded.size());
  }
}
