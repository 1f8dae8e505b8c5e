package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.TestDetectors;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * On a GPU machine ({@code -Dcvat.device=gpu}, as the other GPU runs of the tests): nvJPEG decodes every JPEG of the
 * fixtures on every worker, the worker's first frame included. A worker thread has no current CUDA context until
 * something makes it current, and nvJPEG's JPEG engine cannot make the thread's decoder state without one: each
 * worker's first JPEG went to libjpeg-turbo.
 */
@EnabledIfSystemProperty(named = "cvat.device", matches = "gpu")
class GpuDecodingTest {

  private static final int WORKERS = 8;

  @Test
  void everyWorkerDecodesEveryJpegOnTheGpuFromItsFirstFrame() throws Exception {
    List<String> jpegs = Fixtures.FRAMES.stream().filter(frame -> frame.endsWith(".jpg")).toList();
    ExecutorService clients = Executors.newFixedThreadPool(WORKERS);
    try (ServerFixture server = ServerFixture.ready(new TestDetectors.ShapesYolov8n(),
        Map.of("cvat.workers", String.valueOf(WORKERS)))) {
      JsonNode before = framesDecoded(server); // the warm-up's frame
      List<String> sent = new ArrayList<>();
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (String frame : jpegs) {
          sent.add(frame);
          answers.add(clients.submit(() -> server.detect(Fixtures.frame(frame), 0.5)));
        }
      }
      for (int i = 0; i < sent.size(); i++) {
        ParityTest.assertMatches("shapes-yolov8n", sent.get(i), answers.get(i).get(2, TimeUnit.MINUTES));
      }
      JsonNode after = framesDecoded(server);
      assertEquals(sent.size(), onTheGpu(after) - onTheGpu(before),
          "frames decoded by nvJPEG: " + before + " → " + after);
      assertEquals(before.path("libjpeg-turbo").asLong(-1), after.path("libjpeg-turbo").asLong(-2),
          "JPEGs decoded on the CPU: " + before + " → " + after);
    } finally {
      clients.shutdownNow();
    }
  }

  private static JsonNode framesDecoded(ServerFixture server) {
    return ServerFixture.json(server.health("/ready")).path("framesDecoded");
  }

  /** The frames nvJPEG's decoders decoded: every count but the CPU decoders'. */
  private static long onTheGpu(JsonNode decoded) {
    return decoded.properties().stream()
        .filter(count -> !count.getKey().equals("libjpeg-turbo") && !count.getKey().equals("OpenCV"))
        .mapToLong(count -> count.getValue().asLong()).sum();
  }
}
