package io.cvatfunction.maven.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cvatfunction.maven.deploy.RecordingLog;
import io.cvatfunction.maven.nuclio.NuclioException;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.TestDetectors;
import io.cvatfunction.runtime.server.ServerFixture;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cvat:invoke's request, answer and drawing against the real function server (the runtime's test fixture with
 * the shapes YOLOv8n model), and every input it refuses.
 */
class FrameInvokerTest {

  private static ServerFixture server;

  @TempDir
  Path dir;

  @BeforeAll
  static void startTheFunction() {
    server = ServerFixture.ready(new TestDetectors.ShapesYolov8n());
  }

  @AfterAll
  static void stopTheFunction() {
    server.close();
  }

  private final FrameInvoker invoker = new FrameInvoker(Duration.ofSeconds(60));

  private Path frameFile(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  @Test
  void findsTheShapesAndDrawsThemOnTheFrame() throws Exception {
    Path file = frameFile("000.jpg", Fixtures.frame("000.jpg"));
    byte[] frame = FrameInvoker.frame(file);
    FrameInvoker.Answer answer = invoker.invoke(FrameInvoker.url(server.url("/").toString()), frame, 0.5);

    List<DetectedShape> shapes = answer.shapes();
    JsonNode reference = Fixtures.reference("shapes-yolov8n", "000.jpg");
    assertEquals(reference.size(), shapes.size(), "Ultralytics finds as many shapes: " + shapes);
    TreeSet<String> labels = new TreeSet<>();
    reference.forEach(s -> labels.add(s.get("label").asText()));
    assertEquals(labels, new TreeSet<>(shapes.stream().map(DetectedShape::label).toList()));
    assertTrue(ShapeTable.format(shapes).get(1).matches("\\s*1  circle +0\\.9\\d\\d  rectangle  \\d+, \\d+, \\d+, \\d+"),
        ShapeTable.format(shapes).toString());

    Path png = dir.resolve("target/cvat/invoke.png");
    BoxPainter.Painted painted = BoxPainter.paint(BoxPainter.decode(frame), shapes);
    BoxPainter.writePng(painted.image(), png);
    assertTrue(painted.tagged(), "this JDK has fonts");

    BufferedImage drawn = ImageIO.read(png.toFile());
    BufferedImage original = ImageIO.read(file.toFile());
    assertEquals(1920, drawn.getWidth());
    assertEquals(1080, drawn.getHeight());
    Map<String, Color> colours = BoxPainter.colours(shapes);
    assertEquals(3, new TreeSet<>(colours.values().stream().map(Color::getRGB).toList()).size(),
        "a distinct colour per label");

    int checked = 0;
    for (DetectedShape shape : shapes) {
      int[] box = Arrays.stream(shape.box()).mapToInt(v -> (int) Math.round(v)).toArray();
      int midX = (box[0] + box[2]) / 2;
      int midY = (box[1] + box[3]) / 2;
      int[][] outline = {{box[0], midY}, {box[2], midY}, {midX, box[3]}};
      int[] inside = {midX, midY};
      // Another shape's outline or tag may legitimately cover a point; only points clear of the others are checked.
      if (clear(shape, shapes, inside) && Arrays.stream(outline).allMatch(p -> clear(shape, shapes, p))) {
        for (int[] p : outline) {
          assertEquals(colours.get(shape.label()).getRGB(), drawn.getRGB(p[0], p[1]),
              shape + " outline at " + Arrays.toString(p));
        }
        assertEquals(original.getRGB(inside[0], inside[1]), drawn.getRGB(inside[0], inside[1]),
            shape + " inside is the frame's own pixel");
        checked++;
      }
    }
    assertTrue(checked >= shapes.size() - 2, "most shapes are clear of each other, checked " + checked);
  }

  /** Whether a point is away from every other shape's box, its outline and its tag (generously above and right). */
  private static boolean clear(DetectedShape self, List<DetectedShape> shapes, int[] point) {
    for (DetectedShape other : shapes) {
      if (other == self) {
        continue;
      }
      double[] b = other.box();
      if (point[0] >= b[0] - 8 && point[0] <= Math.max(b[2], b[0] + 220) + 8 && point[1] >= b[1] - 60
          && point[1] <= b[3] + 8) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theThresholdReachesTheFunction() throws Exception {
    byte[] frame = Fixtures.frame("000.jpg");
    URI url = FrameInvoker.url(server.url("/").toString());
    List<DetectedShape> confident = invoker.invoke(url, frame, 0.9).shapes();
    assertTrue(confident.size() < invoker.invoke(url, frame, 0.5).shapes().size());
    assertTrue(confident.stream().allMatch(s -> s.confidence() >= 0.9), confident.toString());
  }

  @Test
  void theFunctionsErrorMessageIsShown() throws Exception {
    byte[] truncated = Arrays.copyOf(Fixtures.frame("000.jpg"), 4000);
    byte[] frame = FrameInvoker.frame(frameFile("cut.jpg", truncated));
    URI url = FrameInvoker.url(server.url("/").toString());
    NuclioException failure = assertThrows(NuclioException.class, () -> invoker.invoke(url, frame, 0.5));
    assertEquals("the function at " + url + " answered 400: \"image\" is a truncated JPEG (its end marker is missing):"
        + " send the whole file", failure.getMessage());
  }

  @Test
  void badInputsAreRefusedBeforeAnythingIsSent() throws Exception {
    assertEquals("cvat.invoke.image: " + dir.resolve("missing.jpg") + " does not exist",
        assertThrows(NuclioException.class, () -> FrameInvoker.frame(dir.resolve("missing.jpg"))).getMessage());
    Path text = frameFile("frame.jpg", "not an image".getBytes(StandardCharsets.UTF_8));
    assertTrue(assertThrows(NuclioException.class, () -> FrameInvoker.frame(text)).getMessage()
        .endsWith("is not a JPEG or PNG file (CVAT sends frames as JPEG or PNG); convert it first"));
    assertTrue(FrameInvoker.frame(frameFile("003.png", Fixtures.frame("003.png"))).length > 0, "PNG is accepted");

    for (String threshold : List.of("1.5", "-0.1", "NaN", "abc", "")) {
      assertTrue(assertThrows(NuclioException.class, () -> FrameInvoker.threshold(threshold)).getMessage()
          .startsWith("cvat.invoke.threshold must be"), threshold);
    }
    assertEquals(0.25, FrameInvoker.threshold(" 0.25 "));

    for (String url : List.of("localhost:8080", "http//localhost:8080", "http://", "ftp://host/", "http://a b/")) {
      assertTrue(assertThrows(NuclioException.class, () -> FrameInvoker.url(url)).getMessage()
          .startsWith("cvat.invoke.url '" + url + "' is not"), url);
    }
    assertEquals(URI.create("http://localhost:8080/"), FrameInvoker.url("http://localhost:8080"));
  }

  @Test
  void aFunctionThatIsNotRunningIsNamed() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port + "/");
    NuclioException failure = assertThrows(NuclioException.class,
        () -> invoker.invoke(url, Fixtures.frame("000.jpg"), 0.5));
    assertTrue(failure.getMessage().startsWith("cannot reach " + url + " (connection refused): is the function "
        + "running?"), failure.getMessage());
  }

  /** A server on a free port that answers each request with the next status and body, taking them off the lists. */
  private static HttpServer answering(List<Integer> statuses, List<String> bodies) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes(); // answering before the upload ends would reset the connection
      byte[] body = bodies.remove(0).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(statuses.remove(0), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  @Test
  void answersThatAreNotShapesAreQuoted() throws Exception {
    List<String> bodies = new ArrayList<>(List.of("{\"status\": \"ok\"}", "<html>Bad Gateway</html>"));
    List<Integer> statuses = new ArrayList<>(List.of(200, 502));
    HttpServer other = answering(statuses, bodies);
    try {
      URI url = URI.create("http://127.0.0.1:" + other.getAddress().getPort() + "/");
      byte[] frame = Fixtures.frame("000.jpg");
      assertEquals("the function at " + url + " answered 200 but not a JSON array of CVAT shapes: {\"status\": \"ok\"}",
          assertThrows(NuclioException.class, () -> invoker.invoke(url, frame, 0.5)).getMessage());
      assertEquals("the function at " + url + " answered 502: <html>Bad Gateway</html>",
          assertThrows(NuclioException.class, () -> invoker.invoke(url, frame, 0.5)).getMessage());
    } finally {
      other.stop(0);
    }
    assertFalse(bodies.size() > 0, "both answers were used");
  }

  @Test
  void anInvocationListsTheShapesAndWritesTheDrawing() throws Exception {
    Invocation invocation = Invocation.prepare(frameFile("000.jpg", Fixtures.frame("000.jpg")), "0.5", 60);
    Path png = dir.resolve("out/invoke.png");
    RecordingLog log = new RecordingLog();
    String summary = invocation.send(FrameInvoker.url(server.url("/").toString()), png,
        SkeletonEdges.none("not asked for"), log);

    int shapes = Fixtures.reference("shapes-yolov8n", "000.jpg").size();
    assertTrue(summary.matches("cvat:invoke: " + shapes + " shape\\(s\\) in \\d+ ms; wrote "
        + Pattern.quote(png.toString())), summary);
    assertTrue(log.infos().get(0).startsWith(shapes + " shape(s) from " + server.url("/") + " for 000.jpg (threshold "
        + "0.5), "), log.infos().toString());
    assertEquals(shapes + 2, log.infos().size(), "the header, the column titles and one line a shape: " + log.infos());
    assertEquals(List.of(), log.warnings(), "this JDK has fonts");
    assertTrue(Files.size(png) > 0);
  }

  @Test
  void anInvocationWithoutTheSpecSaysHowToGetTheSkeletonsEdges() throws Exception {
    String answer = "[{\"label\": \"arrow\", \"type\": \"skeleton\", \"confidence\": 0.9, \"elements\": ["
        + "{\"label\": \"tip\", \"type\": \"points\", \"points\": [100, 100], \"outside\": false},"
        + "{\"label\": \"tail\", \"type\": \"points\", \"points\": [300, 200], \"outside\": false}]},"
        + "{\"label\": \"circle\", \"type\": \"tag\", \"confidence\": 0.97}]";
    HttpServer pose = answering(new ArrayList<>(List.of(200)), new ArrayList<>(List.of(answer)));
    try {
      Invocation invocation = Invocation.prepare(frameFile("000.jpg", Fixtures.frame("000.jpg")), "0.5", 60);
      Path png = dir.resolve("out/invoke.png");
      RecordingLog log = new RecordingLog();
      SkeletonEdges edges = SkeletonEdges.read(null, null, log);
      String summary = invocation.send(URI.create("http://127.0.0.1:" + pose.getAddress().getPort() + "/"), png, edges,
          log);
      assertTrue(summary.startsWith("cvat:invoke: 2 shape(s) in "), summary);
      assertEquals(edges.missing().orElseThrow(), log.infos().get(log.infos().size() - 1), "once, after the table");
      assertTrue(edges.missing().get().startsWith("skeletons drawn without the lines between their keypoints: "));
      BufferedImage drawn = ImageIO.read(png.toFile());
      Map<String, Color> colours = BoxPainter.colours(FrameInvoker.shapes(URI.create("http://x/"), answer));
      assertEquals(colours.get("arrow").getRGB(), drawn.getRGB(300, 200), "the tail's dot");
      assertEquals(colours.get("circle").getRGB(), drawn.getRGB(0, 0), "the tag in the corner");
    } finally {
      pose.stop(0);
    }
  }

  @Test
  void anInvocationRefusesBadParametersBeforeSending() {
    assertEquals("cvat.invoke.timeout must be a positive number of seconds, got 0",
        assertThrows(NuclioException.class, () -> Invocation.prepare(null, "0.5", 0)).getMessage());
    NuclioException noImage = assertThrows(NuclioException.class, () -> Invocation.prepare(null, "0.5", 60));
    assertEquals(assertThrows(NuclioException.class, () -> FrameInvoker.frame(null)).getMessage(),
        noImage.getMessage());
  }
}
