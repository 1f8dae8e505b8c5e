package io.cvatfunction.benchmarks;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.RequestTrace.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The segmentation request's postprocess stage — heads, NMS, instance masks and their CVAT shapes, everything
 * after the forward pass, as the server's {@code post} reports it — of shapes-yolov8n-seg on the 1920×1080 fixture
 * frame 000.jpg: median of 150 requests through the detector, three rounds, one JVM. Beside it, the same requests'
 * forward pass and minor page faults: on the CPU, glibc's allocator sometimes hands tensors' memory back and
 * re-faults it, thousands of pages a request, which moves both stages by more than a millisecond from one run to
 * the next; compare builds on rounds with few faults, or with {@code MALLOC_MMAP_THRESHOLD_=33554432
 * MALLOC_TRIM_THRESHOLD_=1073741824} set.
 *
 * <pre>./mvnw -q -pl cvat-function-benchmarks exec:java -Dexec.mainClass=io.cvatfunction.benchmarks.SegmentationPostprocessBenchmark</pre>
 */
public final class SegmentationPostprocessBenchmark {

  private SegmentationPostprocessBenchmark() {}

  private record Round(double forward, double postprocess, double faults) {}

  public static void main(String[] args) throws Exception {
    String device = System.getProperty("cvat.device", "cpu");
    RequestBenchmark.Seg detector = new RequestBenchmark.Seg();
    detector.load(new HandlerOptions(device, Optional.empty(), HandlerOptions.DEFAULT_MAX_IMAGE_PIXELS, "auto", 1,
        OptionalInt.empty(), HandlerOptions.DEFAULT_PASS_TIMEOUT));
    byte[] body = ("{\"image\": \"" + Base64.getEncoder().encodeToString(Fixtures.frame("000.jpg"))
        + "\", \"threshold\": 0.5}").getBytes(StandardCharsets.US_ASCII);
    int shapes = ((List<?>) detector.handle(body, new RequestTrace())).size();
    round(detector, body, 300); // warm-up: the JIT, and the allocator's first regimes
    System.out.printf("shapes-yolov8n-seg, 000.jpg, device %s: %d masks%n", device, shapes);
    for (int i = 0; i < 3; i++) {
      Round round = round(detector, body, 150);
      System.out.printf("postprocess median %.2f ms (forward %.1f ms, %.0f minor page faults a request)%n",
          round.postprocess(), round.forward(), round.faults());
    }
    detector.close();
  }

  private static Round round(RequestBenchmark.Seg detector, byte[] body, int requests) throws Exception {
    List<Double> forward = new ArrayList<>();
    List<Double> postprocess = new ArrayList<>();
    long faults = minorFaults();
    for (int i = 0; i < requests; i++) {
      RequestTrace trace = new RequestTrace();
      detector.handle(body, trace);
      forward.add(trace.millis().get(Stage.FORWARD));
      postprocess.add(trace.millis().get(Stage.POSTPROCESS));
    }
    faults = minorFaults() - faults;
    forward.sort(null);
    postprocess.sort(null);
    return new Round(forward.get(requests / 2), postprocess.get(requests / 2), (double) faults / requests);
  }

  /** The process's minor page faults so far, field 10 of Linux's {@code /proc/self/stat}. */
  private static long minorFaults() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
  }
}
