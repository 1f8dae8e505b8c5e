package io.cvatfunction.benchmarks;

import static io.cvatfunction.benchmarks.LoopbackServer.percentile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.Parity.FixtureModel;
import io.cvatfunction.runtime.server.FunctionServer;
import io.cvatfunction.runtime.server.ProcessorConfig;
import io.cvatfunction.runtime.server.ServerSettings;
import io.cvatfunction.runtime.yolo.YoloDetector;
import io.cvatfunction.runtime.yolo.YoloModel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends a fixture model's frames to the real function server through HTTP on loopback, from keep-alive clients
 * whose own cost is negligible ({@link KeepAliveClient}), each client the frames in turn from its own first one, and
 * checks every answer against Ultralytics' reference for its frame ({@link Parity}): a figure is only reported with
 * the number of answers that did not match, and the run fails when any did not. It reports from one run: start to
 * ready, then for each number of concurrent clients the client-side latency (median, p90, p99), the throughput and
 * the median of each server stage (from the {@code Server-Timing} header); the forward pass alone on the same model;
 * the frames each decoder decoded (nvJPEG's decoders, libjpeg-turbo, OpenCV); and, where {@code nvidia-smi} exists,
 * the GPU memory after warm-up and after a sustained load.
 *
 * <p>System properties: {@code bench.model} (a fixture model: {@code shapes-yolov8n}, {@code shapes-yolo26n},
 * {@code shapes-yolov8n-seg}, {@code shapes-yolov8n-pose}, {@code shapes-yolov8n-obb}, {@code shapes-yolov8n-cls}),
 * {@code bench.clients} (the phases, default {@code 1,8,16}), {@code bench.requests} (per phase, at least 25 per
 * client; default 200), {@code bench.frame} (one frame of the model's set, e.g. {@code 000.jpg}, a 1920×1080 JPEG;
 * default all 12 of the set in turn), {@code bench.loadSeconds} (a sustained load with the most clients after the
 * phases, default 0), {@code bench.workers} (the function's workers, default the most clients), {@code cvat.device}
 * (default {@code cpu}), {@code cvat.decoder} (default {@code auto}), {@code cvat.batch} (default: the runtime's).
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

  /** The pose model, its keypoints named as its references name them. */
  @CvatFunction(name = "bench-pose", description = "benchmark", keypoints = {"tip", "tail", "left", "right"},
      model = "classpath:fixtures/models/shapes-yolov8n-pose.torchscript")
  public static class Pose extends Exposed {}

  /** The OBB model. */
  @CvatFunction(name = "bench-obb", description = "benchmark", model = "classpath:fixtures/models/shapes-yolov8n-obb.torchscript")
  public static class Obb extends Exposed {}

  /** The classify model. */
  @CvatFunction(name = "bench-cls", description = "benchmark", model = "classpath:fixtures/models/shapes-yolov8n-cls.torchscript")
  public static class Cls extends Exposed {}

  /** Exposes the loaded model to time the forward pass alone. */
  public abstract static class Exposed extends YoloDetector {
    YoloModel yolo() {
      return model();
    }
  }

  public static void main(String[] args) throws Exception {
    FixtureModel fixture = FixtureModel.named(System.getProperty("bench.model", "shapes-yolov8n"));
    int[] phases = Arrays.stream(System.getProperty("bench.clients", "1,8,16").split(","))
        .mapToInt(v -> Integer.parseInt(v.trim())).toArray();
    int requests = Integer.getInteger("bench.requests", 200);
    List<String> frames = Optional.ofNullable(System.getProperty("bench.frame")).map(List::of).orElse(Fixtures.FRAMES);
    int loadSeconds = Integer.getInteger("bench.loadSeconds", 0);
    String device = System.getProperty("cvat.device", "cpu");
    Exposed detector = switch (fixture) {
      case YOLOV8N -> new V8();
      case YOLO26N -> new E2e();
      case SEGMENT -> new Seg();
      case POSE -> new Pose();
      case OBB -> new Obb();
      case CLASSIFY -> new Cls();
    };
    int mostClients = Arrays.stream(phases).max().orElse(1);
    String workers = Integer.toString(Integer.getInteger("bench.workers", mostClients));
    Map<String, String> settings = new HashMap<>(Map.of("cvat.device", device,
        "cvat.decoder", System.getProperty("cvat.decoder", "auto"), "cvat.workers", workers));
    Optional.ofNullable(System.getProperty("cvat.batch")).ifPresent(batch -> settings.put("cvat.batch", batch));

    int maxBatch = ServerSettings.resolve(detector.getClass(), ProcessorConfig.empty(), settings::get).handlerOptions()
        .maxBatch(!device.equals("cpu"));
    long start = System.nanoTime();
    try (FunctionServer server = LoopbackServer.startReady(detector, settings)) {
      double readyMs = (System.nanoTime() - start) / 1e6;
      Requests bodies = Requests.of(fixture, frames);
      System.out.printf("%nmodel %s, frames %s of %s (%d bytes on average), device %s, decoder %s (cvat.decoder=%s),"
          + " %s workers, batches up to %s%n", fixture.id(), frames.size() == 1 ? frames.get(0) : "all " + frames.size(),
          fixture.set(), bodies.averageFrameBytes(), device, detector.serving().get("decoder"),
          settings.get("cvat.decoder"), workers, maxBatch);
      System.out.printf("start -> ready (in-process: libraries, model, warm-up): %.0f ms%n", readyMs);
      try (KeepAliveClient client = new KeepAliveClient(server.port(), bodies.json())) {
        System.out.printf("first request after ready: %.1f ms%n", bodies.check(client.send(0)).millis());
        for (int i = 0; i < 30; i++) {
          bodies.check(client.send(i % frames.size()));
        }
      }
      awaitBatches(detector.yolo(), maxBatch, start);
      GpuMemory.print("after warm-up");
      for (int clients : phases) {
        long[] before = detector.yolo().passesByBatchSize();
        Phase phase = run(server.port(), bodies, clients, Math.max(requests, 25 * clients), 0);
        report(clients, phase, passesSince(before, detector.yolo()));
      }
      GpuMemory.print("after the phases");
      List<Double> forward = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        forward.add(forwardMillis(detector.yolo()));
      }
      System.out.printf("%nforward pass alone (grey input, batch 1): median %.2f ms%n", percentile(forward, 50));
      if (loadSeconds > 0) {
        long[] before = detector.yolo().passesByBatchSize();
        Phase load = run(server.port(), bodies, mostClients, Integer.MAX_VALUE, loadSeconds);
        System.out.printf("%nsustained load, %d clients for %d s:", mostClients, loadSeconds);
        report(mostClients, load, passesSince(before, detector.yolo()));
        GpuMemory.print("after the sustained load");
      }
      System.out.printf("%nframes decoded, by decoder: %s%n", detector.serving().get("framesDecoded"));
      if (bodies.mismatches() > 0) {
        System.out.printf("%n%d answers did not match Ultralytics' references: the figures above do not count%n",
            bodies.mismatches());
        System.exit(1);
      }
      System.out.printf("%nevery answer (%d) matched Ultralytics' reference for its frame%n", bodies.checked());
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
      outputs.get(0).flatten().getFloat(0); // waits for the device
      return (System.nanoTime() - start) / 1e6;
    }
  }

  private record Phase(List<KeepAliveClient.Answer> answers, double seconds, double cores) {}

  /**
   * {@code clients} connections send {@code total} requests between them, or for {@code seconds} when > 0, each the
   * frames in turn from its own first one; the answers are checked after the phase, outside its timing.
   */
  private static Phase run(int port, Requests bodies, int clients, int total, int seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<List<KeepAliveClient.Answer>>> futures = new ArrayList<>();
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    long deadline = seconds > 0 ? start + seconds * 1_000_000_000L : Long.MAX_VALUE;
    for (int c = 0; c < clients; c++) {
      int share = total == Integer.MAX_VALUE ? Integer.MAX_VALUE : total / clients + (c < total % clients ? 1 : 0);
      int first = c;
      futures.add(pool.submit(() -> {
        List<KeepAliveClient.Answer> answers = new ArrayList<>();
        try (KeepAliveClient client = new KeepAliveClient(port, bodies.json())) {
          for (int i = 0; i < share && System.nanoTime() < deadline; i++) {
            answers.add(client.send((first + i) % bodies.json().size()));
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
    all.forEach(bodies::check);
    return new Phase(all, elapsed, cores);
  }

  /** The batched passes since {@code before}, as "size×passes" pairs; empty when each request's pass ran alone. */
  private static String passesSince(long[] before, YoloModel yolo) {
    long[] after = yolo.passesByBatchSize();
    StringJoiner sizes = new StringJoiner(", ");
    for (int size = 1; size < after.length; size++) {
      if (after[size] > before[size]) {
        sizes.add(size + "×" + (after[size] - before[size]));
      }
    }
    return sizes.length() == 0 ? "each request's pass on its own thread" : sizes.toString();
  }

  private static void report(int clients, Phase phase, String passes) {
    List<Double> totals = phase.answers().stream().map(KeepAliveClient.Answer::millis).toList();
    System.out.printf("%n%2d client%s: p50 %.2f ms, p90 %.2f, p99 %.2f; %.1f req/s (%d requests, each checked);"
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
    System.out.println("    forward passes by batch size (size×passes): " + passes);
  }

  /** CPU time of this process, the server's and the clients' threads together. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

}
