package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.TestDetectors;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A real detector behind the real server: bad input, label hooks, thresholds, concurrency. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DetectorRequestsTest {

  @AutoClose
  private final ServerFixture server = ServerFixture.ready(new TestDetectors.ShapesYolov8n());

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void readyCountsTheFramesEachDecoderDecoded() throws Exception {
    long[] before = framesDecoded();
    ParityTest.assertMatches("shapes-yolov8n", "008.jpg", server);
    byte[] truncated = Arrays.copyOf(Fixtures.frame("008.jpg"), 1000);
    String refused = "{\"image\": \"" + b64(truncated) + "\"}";
    assertEquals(400, server.post(refused.getBytes(StandardCharsets.UTF_8)).statusCode());
    assertArrayEquals(new long[] {before[0] + 1, before[1]}, framesDecoded(),
        "libjpeg-turbo's and OpenCV's counts: the decoded JPEG counted, the refused one not");
    ParityTest.assertMatches("shapes-yolov8n", "003.png", server);
    assertArrayEquals(new long[] {before[0] + 1, before[1] + 1}, framesDecoded(), "a PNG: OpenCV");
  }

  private long[] framesDecoded() {
    JsonNode frames = ServerFixture.json(server.health("/ready")).path("framesDecoded");
    return new long[] {frames.path("libjpeg-turbo").asLong(-1), frames.path("OpenCV").asLong(-1)};
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @CsvSource(delimiter = '|', value = {
      "''|400|the request body is empty",
      "not json at all|400|not valid JSON",
      "[\"image\"]|400|must be a JSON object, not an array",
      "42|400|must be a JSON object, not a number",
      "{\"threshold\": 0.5}|400|has no \"image\" field",
      "{\"image\": 12}|400|\"image\" must be a base64 string, not a number",
      "{\"image\": {\"data\": \"AQID\"}}|400|\"image\" must be a base64 string, not an object",
      "{\"image\": \"%%%\"}|400|\"image\" is not valid base64",
      "{\"image\": \"\"}|400|\"image\" is empty",
      "{\"image\": \"SGVsbG8gd29ybGQ=\"}|400|is not a JPEG, PNG, BMP, TIFF or WebP file",
      "{\"image\": \"TRUNCATED_JPEG\"}|400|truncated JPEG",
      "{\"image\": \"TRUNCATED_PNG\"}|400|truncated PNG",
      "{\"image\": \"FRAME\", \"threshold\": \"high\"}|400|\"threshold\" must be a number in [0, 1], not a string",
      "{\"image\": \"FRAME\", \"threshold\": [0.5]}|400|\"threshold\" must be a number in [0, 1], not an array",
      "{\"image\": \"FRAME\", \"threshold\": 2}|400|\"threshold\" must be in [0, 1], got 2",
      "{\"image\": \"FRAME\", \"threshold\": -1}|400|\"threshold\" must be in [0, 1], got -1",
      "{\"image\": \"BOMB\"}|413|20000x20000 = 400000000 pixels, over this function's limit of 50000000",
  })
  void badInputGetsAClientErrorAndTheServerKeepsServing(String body, int status, String message) throws Exception {
    byte[] jpeg = Fixtures.frame("008.jpg");
    byte[] png = Fixtures.frame("003.png");
    String json = body
        .replace("TRUNCATED_JPEG", b64(Arrays.copyOf(jpeg, jpeg.length - 5000)))
        .replace("TRUNCATED_PNG", b64(Arrays.copyOf(png, png.length / 3)))
        .replace("BOMB", b64(Fixtures.pngDeclaring(20_000, 20_000)))
        .replace("FRAME", b64(jpeg));
    HttpResponse<String> response = server.post(json.getBytes(StandardCharsets.UTF_8));
    assertEquals(status, response.statusCode(), response.body());
    String error = ServerFixture.json(response).path("error").asText();
    assertTrue(error.contains(message), () -> "error was: " + error);
    assertEquals(200, server.health("/ready").statusCode());
    ParityTest.assertMatches("shapes-yolov8n", "008.jpg", server);
  }

  @Test
  void bodiesOverMaxRequestBodySizeGet413() {
    byte[] body = new byte[33 * 1024 * 1024];
    Arrays.fill(body, (byte) ' ');
    HttpResponse<String> response = server.post(body);
    assertEquals(413, response.statusCode(), response.body());
    ParityTest.assertMatches("shapes-yolov8n", "000.jpg", server);
  }

  @Test
  void thresholdFiltersAndDefaultsToHalf() {
    JsonNode none = ServerFixture.json(server.detect(Fixtures.frame("000.jpg"), null));
    JsonNode half = ServerFixture.json(server.detect(Fixtures.frame("000.jpg"), 0.5));
    JsonNode low = ServerFixture.json(server.detect(Fixtures.frame("000.jpg"), 0.05));
    JsonNode all = ServerFixture.json(server.detect(Fixtures.frame("000.jpg"), 1.0));
    assertEquals(half, none);
    assertTrue(low.size() > half.size(), "a lower threshold finds more");
    assertEquals(0, all.size());
    low.forEach(shape -> assertTrue(shape.get("confidence").asDouble() > 0.05));
  }

  @Test
  void labelsCanBeRenamedDroppedAndGivenAttributes() {
    JsonNode shapes = ServerFixture.shapesOnce(new TestDetectors.RenamedShapes(), Fixtures.frame("000.jpg"));
    List<String> labels = new ArrayList<>();
    shapes.forEach(s -> labels.add(s.get("label").asText()));
    assertTrue(labels.contains("ball") && labels.contains("triangle"), labels.toString());
    assertTrue(!labels.contains("circle") && !labels.contains("square"), labels.toString());
    shapes.forEach(s -> {
      if (s.get("label").asText().equals("ball")) {
        assertEquals("size", s.get("attributes").get(0).get("name").asText());
      } else {
        assertTrue(s.path("attributes").isMissingNode(), "no attributes on triangles");
      }
    });
  }

  @Test
  void theScoreGoesInTheConfidenceAttributeAsAWholePercentage() {
    JsonNode shapes = ServerFixture.shapesOnce(new TestDetectors.ScoredShapes(), Fixtures.frame("000.jpg"));
    assertEquals(Fixtures.reference("shapes-yolov8n-seg", "000.jpg").size(), shapes.size());
    shapes.forEach(s -> {
      assertEquals("mask", s.get("type").asText());
      JsonNode attributes = s.get("attributes");
      assertEquals(1, attributes.size(), s.toString());
      assertEquals("confidence", attributes.get(0).get("name").asText(), s.toString());
      long percent = Math.round(s.get("confidence").asDouble() * 100);
      assertTrue(percent >= 50 && percent <= 100, s.toString());
      assertEquals(Long.toString(percent), attributes.get(0).get("value").asText(), "a string CVAT's number check takes");
    });
  }

  @Test
  void sixteenClientsAtOnceAllGetCorrectAnswers() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String frame = Fixtures.FRAMES.get(i % Fixtures.FRAMES.size());
        all.add(CompletableFuture.runAsync(() -> ParityTest.assertMatches("shapes-yolov8n", frame, server), clients));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    } finally {
      clients.shutdown();
    }
  }
}
