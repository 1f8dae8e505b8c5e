package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.runtime.CvatHandler;
import io.cvatfunction.runtime.HandlerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/** A function server on loopback with ephemeral ports, and an HTTP client for it. */
public final class ServerFixture implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FunctionServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServerFixture(FunctionServer server) {
    this.server = server;
  }

  /**
   * Starts {@code handler} with its annotation's settings and waits until it is ready. It runs on the CPU unless
   * the system property {@code cvat.device} says otherwise: the GPU run of the parity tests sets {@code gpu}.
   */
  public static ServerFixture ready(CvatHandler handler) {
    return ready(handler, Map.of());
  }

  /** Same, with {@code cvat.*} settings on top. */
  public static ServerFixture ready(CvatHandler handler, Map<String, String> overrides) {
    ServerFixture fixture = started(handler, overrides);
    try {
      assertTrue(fixture.server.awaitReady(Duration.ofMinutes(2)), "the function did not become ready");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return fixture;
  }

  /** The shapes {@code handler}, served on its own for this one request, answers for {@code frame} at threshold 0.5. */
  public static JsonNode shapesOnce(CvatHandler handler, byte[] frame) {
    try (ServerFixture fixture = ready(handler)) {
      HttpResponse<String> answer = fixture.detect(frame, 0.5);
      assertEquals(200, answer.statusCode(), answer.body());
      return json(answer);
    }
  }

  /** Starts without waiting for readiness. */
  public static ServerFixture started(CvatHandler handler, Map<String, String> overrides) {
    return started(handler, overrides, status -> {});
  }

  /** Starts without waiting for readiness; {@code exit} stands for the process's end after a device fault. */
  public static ServerFixture started(CvatHandler handler, Map<String, String> overrides, IntConsumer exit) {
    Map<String, String> settings = new java.util.HashMap<>(Map.of(
        "cvat.host", "127.0.0.1", "cvat.port", "0", "cvat.healthPort", "0",
        "cvat.device", System.getProperty("cvat.device", "cpu")));
    settings.putAll(overrides);
    ServerSettings resolved = ServerSettings.resolve(handler.getClass(), ProcessorConfig.empty(), settings::get);
    return new ServerFixture(FunctionServer.start(handler, resolved, exit));
  }

  public FunctionServer server() {
    return server;
  }

  /** The trigger's URL. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** POSTs a raw body to {@code /}. */
  public HttpResponse<String> post(byte[] body) {
    return send(HttpRequest.newBuilder(url("/")).POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json").build());
  }

  /** POSTs a CVAT detector request for an encoded frame. */
  public HttpResponse<String> detect(byte[] frame, Double threshold) {
    String json = "{\"image\": \"" + Base64.getEncoder().encodeToString(frame) + "\""
        + Optional.ofNullable(threshold).map(t -> ", \"threshold\": " + t).orElse("") + "}";
    return post(json.getBytes());
  }

  /** GETs a path on the health port. */
  public HttpResponse<String> health(String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.healthPort() + path)).GET().build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Parses a JSON answer. */
  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (status " + response.statusCode() + "): " + response.body(), e);
    }
  }

  /** Options for tests that call a handler directly. */
  public static HandlerOptions cpu() {
    return HandlerOptions.cpu();
  }

  @Override
  public void close() {
    server.close();
  }
}
