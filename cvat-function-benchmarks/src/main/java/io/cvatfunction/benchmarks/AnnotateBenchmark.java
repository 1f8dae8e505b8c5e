package io.cvatfunction.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.ReferenceMatch;
import io.cvatfunction.runtime.annotate.AnnotateCommand;
import io.cvatfunction.runtime.annotate.AnnotateRequest;
import io.cvatfunction.runtime.annotate.Annotation;
import io.cvatfunction.runtime.annotate.CvatCredentials;
import io.cvatfunction.runtime.annotate.Retry;
import io.cvatfunction.runtime.cvat.CvatStandIn;
import io.cvatfunction.runtime.cvat.StandInTasks;
import io.cvatfunction.runtime.server.ProcessorConfig;
import io.cvatfunction.runtime.server.ServerSettings;
import io.cvatfunction.runtime.yolo.Devices;
import io.cvatfunction.runtime.yolo.YoloDetector;
import io.cvatfunction.runtime.yolo.YoloModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code cvat:annotate} end to end on loopback: a task of {@code bench.frames} frames (the 12 shapes fixture frames
 * in turn, or one of them, {@code bench.frame}, every time) served by the CVAT stand-in in chunks of
 * {@code bench.chunkSize}, annotated with the YOLOv8n shapes model exactly as the goal does it (downloads ahead,
 * several frames at once, one upload per chunk); then the forward pass alone on as many inputs, from the same
 * number of threads at once (the model's passes batching them as annotate's). Prints both rates and their ratio, and
 * checks every uploaded frame against Ultralytics' reference for its fixture frame (every box matched, IoU ≥ 0.9,
 * the score within 0.02): a run with a mismatch exits 1.
 *
 * <p>System properties: {@code bench.frames} (default 600), {@code bench.chunkSize} (default 36),
 * {@code bench.frame} (e.g. {@code 000.jpg}, a 1920×1080 JPEG; default the 12 in turn), {@code cvat.device}
 * (default {@code cpu}), {@code cvat.workers} and {@code cvat.batch} (default: annotate's choice,
 * {@link AnnotateCommand#concurrency}), {@code cvat.decoder}, {@code bench.downloadThreads} (default 4).
 */
public final class AnnotateBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The detect model, each score in the confidence attribute so that uploads can be checked. */
  @CvatFunction(name = "bench-annotate", description = "benchmark", confidenceAttribute = "confidence",
      model = "classpath:fixtures/models/shapes-yolov8n.torchscript")
  public static class Scored extends YoloDetector {
    YoloModel yolo() {
      return model();
    }
  }

  private AnnotateBenchmark() {}

  public static void main(String[] args) throws Exception {
    int frames = Integer.getInteger("bench.frames", 600);
    int chunkSize = Integer.getInteger("bench.chunkSize", 36);
    Optional<String> oneFrame = Optional.ofNullable(System.getProperty("bench.frame"));
    int downloadThreads = Integer.getInteger("bench.downloadThreads", AnnotateRequest.DEFAULT_DOWNLOAD_THREADS);
    Map<String, String> settings = new HashMap<>(Map.of("cvat.device", System.getProperty("cvat.device", "cpu")));
    for (String name : List.of("cvat.workers", "cvat.batch", "cvat.decoder")) {
      Optional.ofNullable(System.getProperty(name)).ifPresent(v -> settings.put(name, v));
    }
    ServerSettings server = ServerSettings.resolve(Scored.class, ProcessorConfig.empty(), settings::get);

    try (CvatStandIn standIn = new CvatStandIn().user("bench", "unused").accessToken("bench", "bench-token");
        Scored detector = new Scored()) {
      List<String> names = new ArrayList<>();
      List<byte[]> bytes = new ArrayList<>();
      for (int i = 0; i < frames; i++) {
        String fixture = oneFrame.orElse(StandInTasks.fixtureFrame(i));
        names.add(i + "-" + fixture);
        bytes.add(Fixtures.frame(fixture));
      }
      CvatStandIn.Task task = standIn.imageTask("bench", null, names, bytes, chunkSize, Set.of(),
          StandInTasks.shapesLabels("rectangle"));
      AnnotateCommand.Concurrency concurrency = AnnotateCommand.concurrency(server.handlerOptions(),
          settings.containsKey("cvat.workers") || settings.containsKey("cvat.batch"),
          Devices.select(server.handlerOptions().device()).isGpu());
      int inFlight = concurrency.framesInFlight();
      long loadStart = System.nanoTime();
      detector.load(concurrency.options());
      System.out.printf("model loaded in %.1f s on %s, %d frames in flight, passes of up to %d%n",
          (System.nanoTime() - loadStart) / 1e9, server.handlerOptions().device(), inFlight,
          detector.yolo().maxBatch());

      AnnotateRequest request = new AnnotateRequest(standIn.url(), task.id(), Optional.empty(), Optional.empty(),
          false, false, false, Optional.empty(), Optional.empty(), Optional.empty(), downloadThreads,
          Math.max(AnnotateRequest.DEFAULT_CHUNKS_AHEAD, downloadThreads), Retry.DEFAULT);
      long start = System.nanoTime();
      int status = Annotation.run(request, new CvatCredentials.Token("bench-token"),
          () -> new Annotation.Loaded(detector, inFlight), "confidence", System.out);
      double annotateSeconds = (System.nanoTime() - start) / 1e9;
      if (status != Annotation.DONE) {
        System.out.println("annotate failed with status " + status);
        System.exit(1);
      }
      double forwardSeconds = forwardAlone(detector.yolo(), frames, inFlight);
      int mismatches = check(task, names, oneFrame);
      double annotateRate = frames / annotateSeconds;
      double forwardRate = frames / forwardSeconds;
      System.out.printf("%nannotate (model load excluded, sign-in to last upload): %d frames in %.2f s = %.1f "
          + "frames/s%n", frames, annotateSeconds, annotateRate);
      System.out.printf("forward pass alone, as many inputs from %d threads at once (passes of up to %d): %.2f s = "
          + "%.1f frames/s%n", inFlight, detector.yolo().maxBatch(), forwardSeconds, forwardRate);
      System.out.printf("annotate / forward alone: %.2f%n", annotateRate / forwardRate);
      System.out.printf("uploaded frames checked against Ultralytics' references: %d, mismatches: %d%n", frames,
          mismatches);
      if (mismatches > 0) {
        System.exit(1);
      }
    }
  }

  /**
   * The seconds {@code frames} letterbox-grey inputs take through the model's forward pass as annotate reaches it
   * ({@link YoloModel#infer}, where concurrent inputs form batches), from {@code threads} callers at once as annotate
   * has frames in flight: the model's own rate, with no decoding, letterboxing, post-processing or I/O.
   */
  private static double forwardAlone(YoloModel yolo, int frames, int threads) throws Exception {
    ModelMetadata metadata = yolo.metadata();
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        int passes = frames / threads + (t < frames % threads ? 1 : 0);
        done.add(callers.submit(() -> {
          for (int i = 0; i < passes; i++) {
            try (NDManager manager = yolo.newRequestManager()) {
              NDArray input = manager.full(new Shape(1, 3, metadata.inputHeight(), metadata.inputWidth()), 114f)
                  .div(255f);
              NDList outputs = yolo.infer(input);
              outputs.get(0).flatten().getFloat(0); // waits for the device
            }
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      callers.shutdownNow();
    }
  }

  /** Every frame's uploaded shapes against its fixture frame's reference; the number of frames that do not match. */
  private static int check(CvatStandIn.Task task, List<String> names, Optional<String> oneFrame) {
    Map<Integer, String> labels = new HashMap<>();
    task.labels().forEach(l -> labels.put(l.get("id").asInt(), l.get("name").asText()));
    Map<Integer, ArrayNode> byFrame = new HashMap<>();
    for (ObjectNode shape : task.shapes()) {
      ObjectNode named = shape.deepCopy();
      named.put("label", labels.get(shape.get("label_id").asInt()));
      for (JsonNode attribute : shape.get("attributes")) {
        named.put("confidence", Integer.parseInt(attribute.get("value").asText()) / 100.0);
      }
      byFrame.computeIfAbsent(shape.get("frame").asInt(), f -> JSON.createArrayNode()).add(named);
    }
    int mismatches = 0;
    for (int frame = 0; frame < names.size(); frame++) {
      String fixture = oneFrame.orElse(StandInTasks.fixtureFrame(frame));
      try {
        ReferenceMatch.matches("shapes-yolov8n", fixture, byFrame.getOrDefault(frame, JSON.createArrayNode()),
            ReferenceMatch::box);
      } catch (AssertionError e) {
        mismatches++;
        if (mismatches <= 5) {
          System.out.println("frame " + frame + " (" + fixture + "): " + e.getMessage());
        }
      }
    }
    return mismatches;
  }
}
