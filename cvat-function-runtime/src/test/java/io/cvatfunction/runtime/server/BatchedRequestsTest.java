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
 * The fixture frames sent four at a time to functions whose forward passes take batches of up to four, for a model of
 * every task: each export passes the batch check at load, and every answer still matches Ultralytics' as in {@link
 * ParityTest}, {@link SegmentationTest}, {@link PoseTest}, {@link ObbTest} and {@link ClassifyTest}. On the GPU run,
 * the batched passes run on the GPU.
 */
class BatchedRequestsTest {

  private static final Map<String, String> FOUR_A_PASS = Map.of("cvat.workers", "4", "cvat.batch", "4");

  @Test
  void rawHead() throws Exception {
    concurrently(new TestDetectors.ShapesYolov8n(), Fixtures.SHAPES,
        (frame, answer) -> ParityTest.assertMatches("shapes-yolov8n", frame, answer));
  }

  @Test
  void endToEndHead() throws Exception {
    concurrently(new TestDetectors.ShapesYolo26n(), Fixtures.SHAPES,
        (frame, answer) -> ParityTest.assertMatches("shapes-yolo26n", frame, answer));
  }

  @Test
  void masks() throws Exception {
    concurrently(new TestDetectors.ShapesSeg(), Fixtures.SHAPES, SegmentationTest::assertMasksMatch);
  }

  @Test
  void skeletons() throws Exception {
    concurrently(new TestDetectors.ShapesPose(), Fixtures.POSE, PoseTest::assertSkeletonsMatch);
  }

  @Test
  void rotatedRectangles() throws Exception {
    concurrently(new TestDetectors.ShapesObb(), Fixtures.OBB, ObbTest::assertRotatedRectanglesMatch);
  }

  @Test
  void tags() throws Exception {
    concurrently(new TestDetectors.ShapesCls(), Fixtures.CLASSIFY, null, ClassifyTest::assertTagMatches);
  }

  private static void concurrently(TestDetectors.Exposed detector, String set,
      BiConsumer<String, HttpResponse<String>> check) throws Exception {
    concurrently(detector, set, 0.5, check);
  }

  /**
   * Sends a set's frames four at a time.
   *
   * @param set the fixture set whose frames the model's references are for
   * @param threshold the requests' threshold; null sends none
   */
  private static void concurrently(TestDetectors.Exposed detector, String set, Double threshold,
      BiConsumer<String, HttpResponse<String>> check) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try (ServerFixture server = ServerFixture.ready(detector, FOUR_A_PASS)) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (detector.yolo().maxBatch() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(50); // on a GPU, batches start once their sizes are warmed, after readiness
      }
      assertEquals(4, detector.yolo().maxBatch(), "the export takes batches");
      Map<String, Future<HttpResponse<String>>> answers = new LinkedHashMap<>();
      for (String frame : Fixtures.FRAMES) {
        answers.put(frame, clients.submit(() -> server.detect(Fixtures.frame(set, frame), threshold)));
      }
      for (Map.Entry<String, Future<HttpResponse<String>>> answer : answers.entrySet()) {
        check.accept(answer.getKey(), answer.getValue().get(2, TimeUnit.MINUTES));
      }
    } finally {
      clients.shutdownNow();
    }
  }
}
