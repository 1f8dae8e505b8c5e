package io.cvatfunction.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.IntStream;

/** The shapes fixtures: 12 frames, their ground truth and Ultralytics' own predictions. */
public final class Fixtures {

  /** The fixture frames' file names, in order. */
  public static final List<String> FRAMES = IntStream.range(0, 12)
      .mapToObj(i -> String.format("%03d", i) + (i == 3 ? ".png" : ".jpg"))
      .toList();

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** The bytes of a frame file. */
  public static byte[] frame(String name) {
    return resource("fixtures/shapes-frames/frames/" + name);
  }

  /** Ultralytics' prediction for a frame: CVAT shapes with confidences. */
  public static JsonNode reference(String model, String frame) {
    String base = frame.substring(0, frame.indexOf('.'));
    try {
      return JSON.readTree(resource("fixtures/shapes-frames/ref/" + model + "/" + base + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A classpath resource's bytes. */
  public static byte[] resource(String name) {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Intersection over union of two {@code [x1, y1, x2, y2]} boxes. */
  public static double iou(double[] a, double[] b) {
    double w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    double h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    if (w <= 0 || h <= 0) {
      return 0;
    }
    double inter = w * h;
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
  }
}
