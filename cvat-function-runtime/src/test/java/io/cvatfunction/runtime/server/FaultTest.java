package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.TestDetectors;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Faults outside the requests: a model that cannot load leaves the process live but not ready, with the
 * reason. SIGTERM while requests run is {@link SigtermIT}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FaultTest {

  @TempDir
  Path dir;

  @Test
  void aMissingModelFileKeepsTheFunctionNotReadyButLive() throws Exception {
    Path missing = dir.resolve("no-such-model.torchscript");
    assertNotReadyBecause(Map.of("cvat.model", missing.toString()), "no-such-model.torchscript", "does not exist");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "garbage,   failed reading zip archive",
      "truncated, failed reading zip archive",
      "empty,     not a ZIP archive",
  })
  void aCorruptModelFileKeepsTheFunctionNotReadyButLive(String kind, String reason) throws Exception {
    byte[] model = Fixtures.resource("fixtures/models/shapes-yolov8n.torchscript");
    byte[] bytes = switch (kind) {
      case "garbage" -> {
        byte[] random = new byte[64 * 1024];
        new Random(7).nextBytes(random);
        yield random;
      }
      case "truncated" -> Arrays.copyOf(model, model.length / 2);
      case "empty" -> new byte[0];
      default -> throw new IllegalArgumentException(kind);
    };
    Path file = Files.write(dir.resolve(kind + ".torchscript"), bytes);
    assertNotReadyBecause(Map.of("cvat.model", file.toString()), "the model failed to load", reason);
  }

  private static void assertNotReadyBecause(Map<String, String> overrides, String... reasons) throws Exception {
    try (ServerFixture fixture = ServerFixture.started(new TestDetectors.ShapesYolov8n(), overrides)) {
      assertFalse(fixture.server().awaitReady(Duration.ofSeconds(60)), "a broken model must not make it ready");
      HttpResponse<String> ready = fixture.health("/ready");
      assertEquals(503, ready.statusCode(), ready.body());
      String reason = ServerFixture.json(ready).path("error").asText();
      System.out.println("/ready with " + overrides + ": " + reason);
      for (String expected : reasons) {
        assertTrue(reason.contains(expected), () -> "the reason should mention '" + expected + "': " + reason);
      }
      assertEquals(200, fixture.health("/live").statusCode());
      // Requests are refused with the same reason rather than failing inside the handler.
      HttpResponse<String> request = fixture.detect(Fixtures.frame("008.jpg"), 0.5);
      assertEquals(503, request.statusCode(), request.body());
      assertTrue(ServerFixture.json(request).path("error").asText().contains(reasons[reasons.length - 1]));
      // Still the same a moment later: a failed load is final, not retried into a half-ready state.
      assertEquals(503, fixture.health("/ready").statusCode());
    }
  }
}
