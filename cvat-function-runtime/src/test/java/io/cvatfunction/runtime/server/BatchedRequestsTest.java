package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.TestDetectors;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The fixture frames sent four at a time to functions whose forward passes take batches of up to four: each
 * model's export passes the batch check at load, and every answer still matches Ultralytics' as in
 * {@link ParityTest} and {@link SegmentationTest}. On the GPU run, the batched passes run on the GPU.
 */
class BatchedRequestsTest {

  private static final Map<String, String> FOUR_A_PASS = Map.of("cvat.workers", "4", "cvat.batch", "4");

  @Test
  void rawHead() throws Exception {
    concurrently(new TestDetectors.ShapesYolov8n(),
        (frame, answer) -> ParityTest.assertMatches("shapes-yolov8n", frame, answer));
  }

  @Test
  void endToEndHead() throws Exception {
    concurrently(new TestDetectors.ShapesYolo26n(),
        (frame, answer) -> ParityTest.assertMatches("shapes-yolo26n", frame, answer));
  }

  @Test
  void masks() throws Exception {
    concurrently(new TestDetectors.ShapesSeg(), SegmentationTest::assertMasksMatch);
  }

  private static void concurrently(TestDetectors.Exposed detector, BiConsumer<String, HttpResponse<String>> check)
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try (ServerFixture server = ServerFixture.ready(detector, FOUR_A_PASS)) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (detector.yolo().maxBatch() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(50); // on a GPU, batches start once their sizes are warmed, after readiness
      }
      assertEquals(4, detector.yolo().maxBatch(), "the export takes batches");
      Map<String, Future<HttpResponse<String>>> answers = new LinkedHashMap<>();
      for (String frame : Fixtures.FRAMES) {
        answers.put(frame, clients.submit(() -> server.detect(Fixtures.frame(frame), 0.5)));
      }
      for (Map.Entry<String, Future<HttpResponse<String>>> answer : answers.entrySet()) {
        check.accept(answer.getKey(), answer.getValue().get(2, TimeUnit.MINUTES));
      }
    } finally {
      clients.shutdownNow();
    }
  }
}
