package io.cvatfunction.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.CRC32;

/**
 * The fixtures: 12 frames a set, their ground truth and Ultralytics' own predictions — {@code shapes-frames} for the
 * detect and segment models, {@code pose-frames}, {@code obb-frames} and {@code cls-frames} for the others.
 */
public final class Fixtures {

  /** The fixture frames' file names, in order. */
  public static final List<String> FRAMES = IntStream.range(0, 12)
      .mapToObj(i -> String.format("%03d", i) + (i == 3 ? ".png" : ".jpg"))
      .toList();

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** The detect and segment models' frames. */
  public static final String SHAPES = "shapes-frames";
  /** The pose model's frames. */
  public static final String POSE = "pose-frames";
  /** The OBB model's frames. */
  public static final String OBB = "obb-frames";
  /** The classify model's frames. */
  public static final String CLASSIFY = "cls-frames";

  /** The bytes of a frame file of {@link #SHAPES}. */
  public static byte[] frame(String name) {
    return frame(SHAPES, name);
  }

  /** The bytes of a frame file of a set. */
  public static byte[] frame(String set, String name) {
    return resource("fixtures/" + set + "/frames/" + name);
  }

  /** Ultralytics' prediction for a frame of {@link #SHAPES}: CVAT shapes with confidences. */
  public static JsonNode reference(String model, String frame) {
    return reference(SHAPES, model, frame);
  }

  /** Ultralytics' prediction for a frame of a set (its README says what each set's hold). */
  public static JsonNode reference(String set, String model, String frame) {
    String base = frame.substring(0, frame.indexOf('.'));
    try {
      return JSON.readTree(resource("fixtures/" + set + "/ref/" + model + "/" + base + ".json"));
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

  /** A PNG whose header claims a huge size, followed by a tiny IDAT and IEND. */
  public static byte[] pngDeclaring(int width, int height) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream h = new DataOutputStream(ihdr);
    h.writeInt(width);
    h.writeInt(height);
    h.write(new byte[] {8, 2, 0, 0, 0});
    chunk(out, "IHDR", ihdr.toByteArray());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return bytes.toByteArray();
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    out.writeInt(data.length);
    byte[] typeBytes = type.getBytes();
    out.write(typeBytes);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}
