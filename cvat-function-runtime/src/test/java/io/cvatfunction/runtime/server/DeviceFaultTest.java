package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A device fault, injected through the handler (a sticky CUDA error or a hung pass is a {@code DeviceFault} there):
 * the server stops saying it is ready or live, answers every request 503 with the reason, and ends the process.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceFaultTest {

  private final LinkedBlockingQueue<Integer> exits = new LinkedBlockingQueue<>();

  @Test
  void aDeviceFaultTurnsReadyAndLiveTo503AnswersEveryRequest503AndEndsTheProcess() throws Exception {
    ScriptedHandler handler = ScriptedHandler.loaded();
    try (ServerFixture fixture = ServerFixture.started(handler, Map.of("cvat.workers", "2"), exits::add)) {
      assertTrue(fixture.server().awaitReady(java.time.Duration.ofSeconds(30)));
      HttpResponse<String> ready = fixture.health("/ready");
      assertEquals(200, ready.statusCode());
      assertEquals("none", ServerFixture.json(ready).get("decoder").asText(), "what serves is in /ready's answer");
      CompletableFuture<HttpResponse<String>> inFlight =
          CompletableFuture.supplyAsync(() -> fixture.post("hold".getBytes()));
      assertTrue(handler.holding.await(10, TimeUnit.SECONDS));

      HttpResponse<String> failed = fixture.post("fault".getBytes());
      assertEquals(503, failed.statusCode(), failed.body());
      assertTrue(ServerFixture.json(failed).get("error").asText().startsWith(
          "the device failed: pretend the CUDA context broke; this replica restarts"), failed.body());
      for (String probe : new String[] {"/ready", "/live"}) {
        HttpResponse<String> answer = fixture.health(probe);
        assertEquals(503, answer.statusCode(), probe);
        assertTrue(ServerFixture.json(answer).get("error").asText().contains("the device failed (pretend the CUDA"
            + " context broke): the process exits with status 3"), answer.body());
      }
      HttpResponse<String> later = fixture.post("anything".getBytes());
      assertEquals(503, later.statusCode(), later.body());
      JsonNode refusal = ServerFixture.json(later);
      assertTrue(refusal.get("error").asText().contains("the device failed"), later.body());

      assertEquals(3, exits.poll(10, TimeUnit.SECONDS), "the process ends with status 3 after a short drain");
      handler.release.countDown();
      assertEquals(200, inFlight.get(10, TimeUnit.SECONDS).statusCode(), "the request in flight was still answered");
      assertEquals(null, exits.poll(200, TimeUnit.MILLISECONDS), "once");
    }
  }
}
