package io.cvatfunction.maven.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.TestDetectors;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forks the real function server as cvat:run does, sends it a frame, and stops it with SIGTERM. */
class FunctionProcessTest {

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static FunctionProcess.Options options(Optional<String> model) throws IOException {
    List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    return new FunctionProcess.Options(Path.of(System.getProperty("java.home"), "bin", "java"), classpath,
        TestDetectors.ShapesYolov8n.class.getName(), freePort(), freePort(), "cpu", model, List.of("-Xmx2g"));
  }

  private static JsonNode detect(int port, String frame) throws Exception {
    String body = "{\"image\": \"" + Base64.getEncoder().encodeToString(Fixtures.frame(frame)) + "\"}";
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void servesTheFunctionAndStopsCleanlyOnSigterm() throws Exception {
    FunctionProcess.Options options = options(Optional.empty());
    try (FunctionProcess process = FunctionProcess.start(options)) {
      assertTrue(process.awaitReady(Duration.ofMinutes(2)), "the forked server became ready");
      JsonNode shapes = detect(options.port(), "000.jpg");
      assertEquals(Fixtures.reference("shapes-yolov8n", "000.jpg").size(), shapes.size());
      process.close();
      assertEquals(0, process.exitValue(), "SIGTERM ends the server with status 0");
    }
  }

  @Test
  void servesUntilStoppedSayingWhereAndHowToTryIt() throws Exception {
    FunctionProcess.Options options = options(Optional.empty());
    List<String> lines = new CopyOnWriteArrayList<>();
    CountDownLatch ready = new CountDownLatch(1);
    try (FunctionProcess process = FunctionProcess.start(options)) {
      CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
        try {
          return process.serve(line -> {
            lines.add(line);
            if (line.startsWith("Press Ctrl+C")) {
              ready.countDown();
            }
          });
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      assertTrue(ready.await(2, TimeUnit.MINUTES), "ready, and said so: " + lines);
      process.close();
      assertEquals(0, status.get(1, TimeUnit.MINUTES), "serve returns the server's exit status");
    }
    String url = "http://localhost:" + options.port();
    assertEquals(List.of("Serving " + TestDetectors.ShapesYolov8n.class.getName() + " on " + url
        + " (health: http://localhost:" + options.healthPort() + "/ready); loading the model...",
        "Ready. Try it:",
        "  mvn cvat:invoke -Dcvat.invoke.url=" + url + " -Dcvat.invoke.image=frame.jpg",
        "  or: (printf '{\"image\": \"'; base64 -w0 frame.jpg; printf '\"}') | curl -s -X POST " + url
            + " -H 'Content-Type: application/json' --data-binary @-",
        "Press Ctrl+C to stop."), lines);
  }

  @Test
  void aModelOverrideServesAnotherModel(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("other.torchscript");
    Files.write(model, Fixtures.resource("fixtures/models/shapes-yolo26n.torchscript"));
    FunctionProcess.Options options = options(Optional.of(model.toString()));
    assertTrue(options.command().contains("-Dcvat.model=" + model));
    try (FunctionProcess process = FunctionProcess.start(options)) {
      assertTrue(process.awaitReady(Duration.ofMinutes(2)));
      JsonNode shapes = detect(options.port(), "001.jpg");
      JsonNode expected = Fixtures.reference("shapes-yolo26n", "001.jpg");
      assertEquals(expected.size(), shapes.size(), "the NMS-free model's answer, not the annotation's model's");
      assertEquals(expected.get(0).get("confidence").asDouble(), shapes.get(0).get("confidence").asDouble(), 0.02);
    }
  }
}
