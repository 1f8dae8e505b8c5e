package io.cvatfunction.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.server.FunctionServer;
import io.cvatfunction.runtime.server.ProcessorConfig;
import io.cvatfunction.runtime.server.ServerSettings;
import io.cvatfunction.runtime.yolo.ModelMetadata;
import io.cvatfunction.runtime.yolo.YoloDetector;
import io.cvatfunction.runtime.yolo.YoloModel;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends a 1920×1080 JPEG frame to the real function server through HTTP on loopback, from keep-alive clients
 * whose own cost is negligible ({@link KeepAliveClient}), and reports from one run: start to ready, then for
 * each number of concurrent clients the client-side latency (median, p90, p99), the throughput and the median
 * of each server stage (from the {@code Server-Timing} header); the forward pass alone on the same model; and,
 * where {@code nvidia-smi} exists, the GPU memory after warm-up and after a sustained load.
 *
 * <p>System properties: {@code bench.model} ({@code shapes-yolov8n}, {@code shapes-yolo26n} or
 * {@code shapes-yolov8n-seg}), {@code bench.clients} (the phases, default {@code 1,8,16}), {@code bench.requests}
 * (per phase, at least 25 per client; default 200), {@code bench.frame} (a fixture frame, default
 * {@code 000.jpg}), {@code bench.loadSeconds} (a sustained load with the most clients after the phases, default
 * 0), {@code bench.workers} (the function's workers, default the most clients), {@code cvat.device} (default
 * {@code cpu}), {@code cvat.decoder} (default {@code auto}), {@code cvat.batch} (default: the runtime's).
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
    int[] phases = Arrays.stream(System.getProperty("bench.clients", "1,8,16").split(","))
        .mapToInt(v -> Integer.parseInt(v.trim())).toArray();
    int requests = Integer.getInteger("bench.requests", 200);
    String frameName = System.getProperty("bench.frame", "000.jpg");
    int loadSeconds = Integer.getInteger("bench.loadSeconds", 0);
    String device = System.getProperty("cvat.device", "cpu");
    Exposed detector = switch (modelName) {
      case "shapes-yolo26n" -> new E2e();
      case "shapes-yolov8n-seg" -> new Seg();
      case "shapes-yolov8n" -> new V8();
      default -> throw new IllegalArgumentException("bench.model must be shapes-yolov8n, shapes-yolo26n or shapes-yolov8n-seg");
    };
    int mostClients = Arrays.stream(phases).max().orElse(1);
    String workers = Integer.toString(Integer.getInteger("bench.workers", mostClients));
    Map<String, String> settings = new HashMap<>(Map.of("cvat.host", "127.0.0.1", "cvat.port", "0",
        "cvat.healthPort", "0", "cvat.device", device, "cvat.decoder", System.getProperty("cvat.decoder", "auto"),
        "cvat.workers", workers));
    Optional.ofNullable(System.getProperty("cvat.batch")).ifPresent(batch -> settings.put("cvat.batch", batch));

    long start = System.nanoTime();
    ServerSettings resolved = ServerSettings.resolve(detector.getClass(), ProcessorConfig.empty(), settings::get);
    try (FunctionServer server = FunctionServer.start(detector, resolved)) {
      if (!server.awaitReady(Duration.ofMinutes(5))) {
        throw new IllegalStateException("the function did not become ready");
      }
      double readyMs = (System.nanoTime() - start) / 1e6;
      byte[] frame = Fixtures.frame(frameName);
      byte[] body = ("{\"image\": \"" + Base64.getEncoder().encodeToString(frame) + "\", \"threshold\": 0.5}")
          .getBytes(StandardCharsets.US_ASCII);
      System.out.printf("%nmodel %s, frame %s (%d bytes), device %s, decoder %s, %s workers, batches up to %s%n",
          modelName, frameName, frame.length, device, settings.get("cvat.decoder"), workers,
          resolved.handlerOptions().maxBatch(!device.equals("cpu")));
      System.out.printf("start -> ready (in-process: libraries, model, warm-up): %.0f ms%n", readyMs);
      try (KeepAliveClient client = new KeepAliveClient(server.port(), body)) {
        System.out.printf("first request after ready: %.1f ms%n", check(client.send()).millis());
        for (int i = 0; i < 30; i++) {
          check(client.send());
        }
      }
      awaitBatches(detector.yolo(), resolved.handlerOptions().maxBatch(!device.equals("cpu")), start);
      GpuMemory.print("after warm-up");
      for (int clients : phases) {
        report(clients, run(server.port(), body, clients, Math.max(requests, 25 * clients), 0));
      }
      GpuMemory.print("after the phases");
      List<Double> forward = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        forward.add(forwardMillis(detector.yolo()));
      }
      System.out.printf("%nforward pass alone (grey input, batch 1): median %.2f ms%n", percentile(forward, 50));
      if (loadSeconds > 0) {
        Phase load = run(server.port(), body, mostClients, Integer.MAX_VALUE, loadSeconds);
        System.out.printf("%nsustained load, %d clients for %d s:", mostClients, loadSeconds);
        report(mostClients, load);
        GpuMemory.print("after the sustained load");
      }
    }
    System.exit(0);
  }

  /** Waits until the model takes batches of {@code wanted} (checked and warmed after readiness), up to a minute. */
  private static void awaitBatches(YoloModel yolo, int wanted, long start) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (yolo.maxBatch() < wanted && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    System.out.printf("batches of up to %d from %.0f ms after the start (wanted %d)%n", yolo.maxBatch(),
        (System.nanoTime() - start) / 1e6, wanted);
  }

  /** One forward pass on a letterbox-grey input, timed through the seam {@code predict} runs it by. */
  private static double forwardMillis(YoloModel yolo) {
    try (NDManager manager = yolo.newRequestManager()) {
      ModelMetadata metadata = yolo.metadata();
      NDArray batch = manager.full(new Shape(1, 3, metadata.inputHeight(), metadata.inputWidth()), 114f).div(255f);
      batch.toFloatArray(); // on the device before the clock starts
      long start = System.nanoTime();
      NDList outputs = yolo.forward(batch);
      outputs.get(0).get(0).get(0).getFloat(0); // waits for the device
      return (System.nanoTime() - start) / 1e6;
    }
  }

  private record Phase(List<KeepAliveClient.Answer> answers, double seconds, double cores) {}

  /** {@code clients} connections send {@code total} requests between them, or for {@code seconds} when > 0. */
  private static Phase run(int port, byte[] body, int clients, int total, int seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<List<KeepAliveClient.Answer>>> futures = new ArrayList<>();
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    long deadline = seconds > 0 ? start + seconds * 1_000_000_000L : Long.MAX_VALUE;
    for (int c = 0; c < clients; c++) {
      int share = total == Integer.MAX_VALUE ? Integer.MAX_VALUE : total / clients + (c < total % clients ? 1 : 0);
      futures.add(pool.submit(() -> {
        List<KeepAliveClient.Answer> answers = new ArrayList<>();
        try (KeepAliveClient client = new KeepAliveClient(port, body)) {
          for (int i = 0; i < share && System.nanoTime() < deadline; i++) {
            answers.add(check(client.send()));
          }
        }
        return answers;
      }));
    }
    List<KeepAliveClient.Answer> all = new ArrayList<>();
    for (Future<List<KeepAliveClient.Answer>> future : futures) {
      all.addAll(future.get());
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cores = (processCpuNanos() - cpuStart) / 1e9 / elapsed;
    pool.shutdown();
    return new Phase(all, elapsed, cores);
  }

  private static KeepAliveClient.Answer check(KeepAliveClient.Answer answer) {
    if (answer.status() != 200) {
      throw new IllegalStateException("status " + answer.status() + ": " + new String(answer.body(), StandardCharsets.UTF_8));
    }
    return answer;
  }

  private static void report(int clients, Phase phase) {
    List<Double> totals = phase.answers().stream().map(KeepAliveClient.Answer::millis).toList();
    System.out.printf("%n%2d client%s: p50 %.2f ms, p90 %.2f, p99 %.2f; %.1f req/s (%d requests, all 200);"
        + " %.1f cores busy%n", clients, clients == 1 ? " " : "s", percentile(totals, 50), percentile(totals, 90),
        percentile(totals, 99), phase.answers().size() / phase.seconds(), phase.answers().size(), phase.cores());
    Set<String> stages = new LinkedHashSet<>();
    phase.answers().forEach(a -> stages.addAll(a.stages().keySet()));
    StringBuilder split = new StringBuilder("    server stages (medians, ms):");
    for (String stage : stages) {
      split.append(String.format(" %s %.2f", stage,
          percentile(phase.answers().stream().map(a -> a.stages().getOrDefault(stage, 0.0)).toList(), 50)));
    }
    double server = percentile(phase.answers().stream()
        .map(a -> a.stages().values().stream().reduce(0.0, Double::sum)).toList(), 50);
    split.append(String.format("; sum %.2f, outside the stages %.2f", server, percentile(totals, 50) - server));
    System.out.println(split);
  }

  /** CPU time of this process, the server's and the clients' threads together. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
