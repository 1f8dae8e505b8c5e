package io.cvatfunction.maven.invoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvatfunction.maven.nuclio.NuclioException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Sends one frame to a CVAT detector function, as CVAT does: {@code POST {"image": <base64>, "threshold": t}},
 * and reads the shapes it answers: boxes (turned ones too), masks, polygons, skeletons with their keypoints, and tags,
 * which have no points. Works against {@code cvat:run}'s server and a deployed Nuclio function alike.
 */
public final class FrameInvoker {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration timeout;

  /** @param timeout how long to wait for the answer (CVAT waits 120 s) */
  public FrameInvoker(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * What the function answered.
   *
   * @param shapes the shapes, in the function's order
   * @param latency from sending the request to reading the whole answer
   */
  public record Answer(List<DetectedShape> shapes, Duration latency) {}

  /**
   * Checks a function URL.
   *
   * @throws NuclioException when it is not an absolute http(s) URL with a host
   */
  public static URI url(String url) throws NuclioException {
    String hint = "; give the function's URL, e.g. -Dcvat.invoke.url=http://localhost:8080 (what cvat:run serves)";
    if (url == null || url.isBlank()) {
      throw new NuclioException("no function URL" + hint);
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new NuclioException("cvat.invoke.url '" + url + "' is not a URL (" + e.getReason() + ")" + hint);
    }
    if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
      throw new NuclioException("cvat.invoke.url '" + url + "' is not an http:// or https:// URL with a host" + hint);
    }
    return uri.getPath() == null || uri.getPath().isEmpty() ? uri.resolve("/") : uri;
  }

  /**
   * Reads a frame file.
   *
   * @throws NuclioException when it is missing or not a JPEG or PNG (the formats CVAT sends)
   */
  public static byte[] frame(Path file) throws NuclioException {
    if (file == null) {
      throw new NuclioException("no frame: give one with -Dcvat.invoke.image=frame.jpg");
    }
    if (!Files.isRegularFile(file)) {
      throw new NuclioException("cvat.invoke.image: " + file + " does not exist");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new NuclioException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!isJpeg(bytes) && !isPng(bytes)) {
      throw new NuclioException("cvat.invoke.image: " + file + " is not a JPEG or PNG file (CVAT sends frames as "
          + "JPEG or PNG); convert it first");
    }
    return bytes;
  }

  static boolean isJpeg(byte[] bytes) {
    return bytes.length > 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff;
  }

  static boolean isPng(byte[] bytes) {
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (bytes.length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if (bytes[i] != signature[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks a threshold given as text.
   *
   * @throws NuclioException when it is not a number in [0, 1]
   */
  public static double threshold(String value) throws NuclioException {
    double threshold;
    try {
      threshold = Double.parseDouble(value.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new NuclioException("cvat.invoke.threshold must be a number in [0, 1], got '" + value + "'");
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new NuclioException("cvat.invoke.threshold must be in [0, 1] (a confidence), got " + value);
    }
    return threshold;
  }

  /**
   * Sends the frame and reads the shapes.
   *
   * @throws NuclioException when the function cannot be reached, answers an error (its {@code {"error"}} message
   *     is quoted) or answers something that is not a list of shapes
   */
  public Answer invoke(URI url, byte[] frame, double threshold) throws NuclioException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("image", Base64.getEncoder().encodeToString(frame));
    body.put("threshold", threshold);
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    long start = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new NuclioException("no answer from " + url + " within " + timeout.toSeconds()
          + " s (cvat.invoke.timeout): the function may still be loading its model, or be stuck", e);
    } catch (ConnectException e) {
      throw new NuclioException("cannot reach " + url + " (connection refused): is the function running? Serve it "
          + "with mvn cvat:run or deploy it with cvat:deploy, and check the URL", e);
    } catch (IOException e) {
      throw new NuclioException("cannot send the frame to " + url + ": " + e, e);
    }
    Duration latency = Duration.ofNanos(System.nanoTime() - start);
    if (response.statusCode() != 200) {
      throw new NuclioException("the function at " + url + " answered " + response.statusCode() + ": "
          + errorMessage(response.body()));
    }
    return new Answer(shapes(url, response.body()), latency);
  }

  private static String errorMessage(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.hasNonNull("error")) {
        return json.get("error").asText();
      }
    } catch (JsonProcessingException notJson) {
      // a proxy or a non-cvat-function server: quote what it said
    }
    String text = body == null ? "" : body.strip();
    return text.isEmpty() ? "(empty body)" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  static List<DetectedShape> shapes(URI url, String body) throws NuclioException {
    String notShapes = "the function at " + url + " answered 200 but not a JSON array of CVAT shapes: ";
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new NuclioException(notShapes + errorMessage(body));
    }
    if (root == null || !root.isArray()) {
      throw new NuclioException(notShapes + errorMessage(body));
    }
    List<DetectedShape> shapes = new ArrayList<>();
    for (JsonNode shape : root) {
      if (!shape.path("label").isTextual()) {
        throw new NuclioException(notShapes + "a shape without a label: " + shape);
      }
      String type = shape.path("type").asText("rectangle");
      double[] coordinates = numbers(shape.path("points"));
      // A tag is the whole frame's and a skeleton is its elements: neither has points of its own.
      if (coordinates.length == 0 && !type.equals("tag") && !type.equals("skeleton")) {
        throw new NuclioException(notShapes + "a " + type + " without points: " + shape);
      }
      List<DetectedShape.Keypoint> keypoints = new ArrayList<>();
      if (type.equals("skeleton")) {
        JsonNode elements = shape.path("elements");
        if (!elements.isArray() || elements.isEmpty()) {
          throw new NuclioException(notShapes + "a skeleton without elements: " + shape);
        }
        for (JsonNode element : elements) {
          double[] point = numbers(element.path("points"));
          if (!element.path("label").isTextual() || point.length < 2) {
            throw new NuclioException(notShapes + "a skeleton element without a label or a point: " + element);
          }
          // CVAT's own functions send outside as 0 or 1, the runtime as a boolean
          keypoints.add(new DetectedShape.Keypoint(element.get("label").asText(), point[0], point[1],
              element.path("outside").asBoolean(false)));
        }
      }
      JsonNode confidence = shape.path("confidence");
      JsonNode mask = shape.path("mask");
      double[] maskBox = null;
      if (mask.isArray() && mask.size() >= 4) {
        int n = mask.size();
        maskBox = new double[] {mask.get(n - 4).asDouble(), mask.get(n - 3).asDouble(), mask.get(n - 2).asDouble(),
            mask.get(n - 1).asDouble()};
      }
      JsonNode rotation = shape.path("rotation");
      shapes.add(new DetectedShape(shape.path("label").asText(), type, coordinates,
          confidence.isNumber() || (confidence.isTextual() && confidence.asText().matches("[0-9.eE+-]+"))
              ? confidence.asDouble() : null,
          maskBox, rotation.isNumber() ? rotation.asDouble() : null, keypoints));
    }
    return shapes;
  }

  /** The numbers of a JSON array; none when it is absent or not an array. */
  private static double[] numbers(JsonNode array) {
    double[] numbers = new double[array.isArray() ? array.size() : 0];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = array.get(i).asDouble();
    }
    return numbers;
  }
}
