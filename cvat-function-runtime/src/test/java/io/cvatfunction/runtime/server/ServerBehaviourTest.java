package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.CvatFunction;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nuclio's processor semantics: readiness, workers, timeouts, limits, and a server no request can stop. */
class ServerBehaviourTest {

  private static void assertError(HttpResponse<String> response, int status, String text) {
    assertEquals(status, response.statusCode(), response.body());
    String error = ServerFixture.json(response).path("error").asText();
    assertTrue(error.contains(text), () -> "error was: " + error);
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
  }

  private static void assertEcho(ServerFixture fixture, String body) {
    HttpResponse<String> response = fixture.post(body.getBytes());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(body, ServerFixture.json(response).get(0).get("echo").asText());
  }

  @Test
  void readyOnlyAfterTheModelIsLoaded() throws Exception {
    ScriptedHandler handler = new ScriptedHandler();
    try (ServerFixture fixture = ServerFixture.started(handler, Map.of())) {
      assertError(fixture.health("/ready"), 503, "loading the model");
      assertEquals(200, fixture.health("/live").statusCode());
      assertError(fixture.post("hello".getBytes()), 503, "not ready");
      assertError(fixture.send(HttpRequest.newBuilder(fixture.url("/__internal/health")).GET().build()), 503, "loading");

      handler.loadGate.countDown();
      assertTrue(fixture.server().awaitReady(Duration.ofSeconds(10)));
      assertEquals(200, fixture.health("/ready").statusCode());
      assertEquals(200, fixture.send(HttpRequest.newBuilder(fixture.url("/__internal/health")).GET().build()).statusCode());
      assertEcho(fixture, "hello");
    }
  }

  @Test
  void aFailedLoadKeepsTheFunctionNotReadyWithTheReason() throws Exception {
    ScriptedHandler handler = new ScriptedHandler();
    handler.loadFailure = "model file missing";
    handler.loadGate.countDown();
    try (ServerFixture fixture = ServerFixture.started(handler, Map.of())) {
      assertTrue(!fixture.server().awaitReady(Duration.ofSeconds(10)));
      assertError(fixture.health("/ready"), 503, "the model failed to load: model file missing");
      assertEquals(200, fixture.health("/live").statusCode());
      assertError(fixture.post("x".getBytes()), 503, "model file missing");
    }
  }

  @Test
  void failuresInsideTheFunctionAreAnswered() {
    try (ServerFixture fixture = ServerFixture.ready(ScriptedHandler.loaded())) {
      assertError(fixture.post("throw".getBytes()), 500, "boom");
      assertError(fixture.post("error".getBytes()), 500, "pretend the GPU ran out");
      assertEcho(fixture, "still serving");
    }
  }

  @Test
  void aRequestOverTheEventTimeoutGets408AndTheWorkerRecovers() {
    PatientHandler handler = new PatientHandler();
    handler.loadGate.countDown();
    try (ServerFixture fixture = ServerFixture.ready(handler, Map.of("cvat.eventTimeout", "200ms"))) {
      long start = System.nanoTime();
      assertError(fixture.post("sleep:60000".getBytes()), 408, "event timeout of 200 ms");
      assertTrue((System.nanoTime() - start) / 1e6 < 10_000, "answered at the timeout, not when the work ended");
      // One worker only, which the next request waits for (5 s at most): the abandoned sleep was interrupted.
      assertEcho(fixture, "next");
    }
  }

  @Test
  void requestsBeyondTheWorkersWaitThenGet503() throws Exception {
    ScriptedHandler handler = ScriptedHandler.loaded();
    try (ServerFixture fixture = ServerFixture.ready(handler)) {
      CompletableFuture<HttpResponse<String>> busy =
          CompletableFuture.supplyAsync(() -> fixture.post("hold".getBytes()));
      assertTrue(handler.holding.await(10, TimeUnit.SECONDS), "the first request holds the only worker");
      assertError(fixture.post("waiting".getBytes()), 503, "all 1 workers stayed busy for 300 ms");
      handler.release.countDown();
      assertEquals(200, busy.get().statusCode());
      assertEcho(fixture, "after");
    }
  }

  /** {@link ScriptedHandler} whose requests may wait 5 s for its one worker. */
  @CvatFunction(name = "patient", description = "test handler", model = "none", workers = 1,
      workerAvailabilityTimeoutMillis = 5_000)
  static final class PatientHandler extends ScriptedHandler {}

  /**
   * Server-Timing charges a slow upload to {@code receive} and the wait for the one busy worker to {@code queue},
   * with a decimal point in any default locale.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theStagesSayWhereTheTimeWent() throws Exception {
    PatientHandler handler = new PatientHandler();
    handler.loadGate.countDown();
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try (ServerFixture fixture = ServerFixture.ready(handler);
        Socket socket = new Socket("127.0.0.1", fixture.server().port())) {
      socket.setSoTimeout(10_000);
      CompletableFuture<HttpResponse<String>> busy =
          CompletableFuture.supplyAsync(() -> fixture.post("hold".getBytes()));
      assertTrue(handler.holding.await(10, TimeUnit.SECONDS), "the first request holds the only worker");
      OutputStream out = socket.getOutputStream();
      out.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nsl".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(1_000); // half the body, then a pause: receive
      out.write("ow".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(600); // the body is in, the worker still busy: queue
      handler.release.countDown();
      String head = WriteFirstClient.head(socket.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      double receiveMs = stage(head, "receive");
      double queueMs = stage(head, "queue");
      assertTrue(receiveMs >= 700, "receive " + receiveMs + " ms, the body took 1,000 ms to arrive");
      // 600 ms, not the upload's 1,600 ms too: the bounds leave a loaded machine room for its threads' scheduling
      assertTrue(queueMs >= 200 && queueMs < 1_500, "queue " + queueMs + " ms, the worker was busy for 600 ms more");
      assertEquals(200, busy.get(10, TimeUnit.SECONDS).statusCode());
    } finally {
      Locale.setDefault(before);
    }
  }

  /** A stage's milliseconds in a Server-Timing header, written with a decimal point and three decimals. */
  private static double stage(String head, String name) {
    Matcher stage = Pattern.compile(name + ";dur=([0-9]+\\.[0-9]{3})(,|\\r)").matcher(head);
    assertTrue(stage.find(), "no " + name + " stage in " + head);
    return Double.parseDouble(stage.group(1));
  }

  @Test
  void bodiesOverTheLimitGet413() {
    try (ServerFixture fixture = ServerFixture.ready(ScriptedHandler.loaded())) {
      byte[] big = new byte[2 * 1024 * 1024];
      assertError(fixture.post(big), 413, "over this function's maxRequestBodySize of 1048576 bytes");
      // Chunked, so no Content-Length announces the size.
      HttpRequest chunked = HttpRequest.newBuilder(fixture.url("/"))
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
      assertError(fixture.send(chunked), 413, "maxRequestBodySize");
      assertEcho(fixture, "small");
    }
  }

  /** Python's requests and http.client, as CVAT uses them: the whole body goes out before the answer is read. */
  @Test
  void aClientThatWritesAllOf40MiBBeforeReadingGetsThe413() throws Exception {
    try (ServerFixture fixture = ServerFixture.ready(ScriptedHandler.loaded())) {
      byte[] body = new byte[40 << 20];
      for (boolean chunked : new boolean[] {false, true}) {
        WriteFirstClient.Answer answer = WriteFirstClient.post(fixture.server().port(), body, chunked, "");
        assertEquals(413, answer.status(), answer.body());
        assertEquals("application/json", answer.contentType());
        assertTrue(answer.body().contains("over this function's maxRequestBodySize of 1048576 bytes"), answer.body());
      }
      assertEcho(fixture, "small");
    }
  }

  @Test
  void whileShuttingDownReadyIs503AndInFlightRequestsFinish() throws Exception {
    ScriptedHandler handler = ScriptedHandler.loaded();
    ServerFixture fixture = ServerFixture.ready(handler);
    CompletableFuture<HttpResponse<String>> inFlight =
        CompletableFuture.supplyAsync(() -> fixture.post("hold".getBytes()));
    assertTrue(handler.holding.await(10, TimeUnit.SECONDS), "the request is in flight");
    CompletableFuture<Void> closing = CompletableFuture.runAsync(fixture::close);
    // close() cannot end while the request is held, so /ready must turn 503 and stay so; asked until it does.
    HttpResponse<String> ready = fixture.health("/ready");
    for (int asked = 1; ready.statusCode() == 200 && asked < 1_000; asked++) {
      ready = fixture.health("/ready");
    }
    assertError(ready, 503, "shutting down");
    assertFalse(closing.isDone(), "close() waits for the request in flight");
    handler.release.countDown();
    assertEquals(200, inFlight.get().statusCode(), "the request in flight is answered");
    closing.get();
  }

  /**
   * A request whose headers arrived before the stop is in flight, even with its body still uploading: it is served
   * once the body is in. A request that arrives during the drain gets a JSON 503.
   */
  @Test
  void anUploadInFlightWhenTheStopComesIsServedAndNewRequestsGetAJson503() throws Exception {
    ServerFixture fixture = ServerFixture.ready(ScriptedHandler.loaded());
    byte[] body = "uploaded while stopping".getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket("127.0.0.1", fixture.server().port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 5);
      out.flush();
      // The stop must come after the server has read the headers, or the upload itself is a late request.
      long waitedUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (fixture.server().requestsInFlight() == 0 && System.nanoTime() < waitedUntil) {
        Thread.sleep(1);
      }
      assertEquals(1, fixture.server().requestsInFlight(), "the upload is in flight");
      CompletableFuture<Void> closing = CompletableFuture.runAsync(fixture::close);
      HttpResponse<String> ready = fixture.health("/ready");
      for (int asked = 1; ready.statusCode() == 200 && asked < 1_000; asked++) {
        ready = fixture.health("/ready");
      }
      assertError(ready, 503, "shutting down");
      assertError(fixture.post("late".getBytes()), 503, "shutting down");
      assertFalse(closing.isDone(), "close() waits for the upload in flight");

      out.write(body, 5, body.length - 5);
      out.flush();
      WriteFirstClient.Answer answer = WriteFirstClient.read(socket.getInputStream());
      assertEquals(200, answer.status(), answer.body());
      assertTrue(answer.body().contains("uploaded while stopping"), answer.body());
      closing.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void onlyPostRunsTheFunction() {
    try (ServerFixture fixture = ServerFixture.ready(ScriptedHandler.loaded())) {
      HttpResponse<String> get = fixture.send(HttpRequest.newBuilder(fixture.url("/")).GET().build());
      assertError(get, 405, "use POST");
      assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
      assertError(fixture.health("/metrics"), 404, "use /ready or /live");
      HttpResponse<String> anyPath = fixture.post("x".getBytes());
      assertTrue(anyPath.headers().firstValue("X-Request-Id").isPresent());
      HttpResponse<String> otherPath = fixture.send(HttpRequest.newBuilder(fixture.url("/some/path"))
          .POST(HttpRequest.BodyPublishers.ofString("y")).build());
      assertEquals(200, otherPath.statusCode());
    }
  }
}
