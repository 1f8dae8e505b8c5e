package io.cvatfunction.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * An answer of a fixture model checked against Ultralytics' own prediction for the frame, by the model's task: the
 * one parity rule for the tests and the benchmarks, however the answer was obtained. For every task, each reference
 * object is paired with a returned shape of its label ({@link ReferenceMatch}) with a confidence within 0.02, and
 * nothing else is returned; then:
 *
 * <ul>
 *   <li>detect: boxes with IoU ≥ 0.9;
 *   <li>segment: mask boxes with IoU ≥ 0.9, mask pixels with IoU ≥ 0.9 against the filled reference outline;
 *   <li>pose: skeletons of the model's four keypoints by name, each keypoint Ultralytics is sure of (≥ 0.5) visible
 *       and within 3 px of its position (or 2 % of its box's diagonal, if larger), each other one {@code outside};
 *   <li>obb: rectangles that, turned clockwise by their {@code rotation} about their centre as CVAT draws them, cover
 *       the reference's corners with IoU ≥ 0.9, at an angle within 1°, in [0°, 90°);
 *   <li>classify: one tag, Ultralytics' top-1 class, its probability within 0.001.
 * </ul>
 *
 * OpenCV's native library must be loaded (the runtime loads it).
 */
public final class Parity {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> POSE_KEYPOINTS = List.of("tip", "tail", "left", "right");

  /** The fixture models, each with the frame set and threshold its references were made for. */
  public enum FixtureModel {
    /** YOLOv8n, raw head. */
    YOLOV8N("shapes-yolov8n", Fixtures.SHAPES, 0.5, Parity::boxes),
    /** YOLO26n, NMS-free. */
    YOLO26N("shapes-yolo26n", Fixtures.SHAPES, 0.5, Parity::boxes),
    /** YOLOv8n-seg. */
    SEGMENT("shapes-yolov8n-seg", Fixtures.SHAPES, 0.5, Parity::masks),
    /** YOLOv8n-pose, arrows and kites with four keypoints. */
    POSE("shapes-yolov8n-pose", Fixtures.POSE, 0.5, Parity::skeletons),
    /** YOLOv8n-obb. */
    OBB("shapes-yolov8n-obb", Fixtures.OBB, 0.5, Parity::rotatedRectangles),
    /** YOLOv8n-cls: references of every class's probability, the answer at CVAT's default threshold. */
    CLASSIFY("shapes-yolov8n-cls", Fixtures.CLASSIFY, null, Parity::tags);

    private final String id;
    private final String set;
    private final Double threshold;
    private final Check check;

    FixtureModel(String id, String set, Double threshold, Check check) {
      this.id = id;
      this.set = set;
      this.threshold = threshold;
      this.check = check;
    }

    /** The model's name: its file is {@code fixtures/models/<id>.torchscript}, its references {@code ref/<id>}. */
    public String id() {
      return id;
    }

    /** The frame set its references are for. */
    public String set() {
      return set;
    }

    /** The threshold to request, null to send none. */
    public Double threshold() {
      return threshold;
    }

    /** The model named {@code id}. */
    public static FixtureModel named(String id) {
      return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no fixture model " + id + "; there are "
              + Arrays.stream(values()).map(FixtureModel::id).toList()));
    }

    /**
     * Asserts that {@code body}, answered with {@code status} for {@code frame} of the model's set at its threshold,
     * matches Ultralytics' prediction.
     */
    public void assertMatches(String frame, int status, String body) {
      assertEquals(200, status, body);
      JsonNode answer;
      try {
        answer = JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
      check.assertMatches(this, frame, answer);
    }
  }

  @FunctionalInterface
  private interface Check {
    void assertMatches(FixtureModel model, String frame, JsonNode answer);
  }

  private Parity() {}

  private static void boxes(FixtureModel model, String frame, JsonNode answer) {
    for (ReferenceMatch.Match match : ReferenceMatch.matches(model.id(), frame, answer, ReferenceMatch::box)) {
      assertEquals("rectangle", match.shape().get("type").asText());
    }
  }

  private static void masks(FixtureModel model, String frame, JsonNode answer) {
    int[] size = frameSize(model.set(), frame);
    for (ReferenceMatch.Match match : ReferenceMatch.matches(model.id(), frame, answer, Parity::maskBox)) {
      JsonNode ref = match.reference();
      double maskIou = maskIou(match.shape(), ref.get("polygon"), ref, size);
      assertTrue(maskIou >= 0.9, frame + ": mask IoU " + maskIou + " for " + ref.get("label"));
      JsonNode outline = match.shape().get("points");
      assertTrue(outline.size() >= 6 && outline.size() % 2 == 0, "a polygon outline");
    }
  }

  /** The box of a CVAT mask: the last four values of its payload, whose length must fit them. */
  public static double[] maskBox(JsonNode shape) {
    assertEquals("mask", shape.get("type").asText());
    JsonNode mask = shape.get("mask");
    int n = mask.size();
    int xtl = mask.get(n - 4).asInt();
    int ytl = mask.get(n - 3).asInt();
    int xbr = mask.get(n - 2).asInt();
    int ybr = mask.get(n - 1).asInt();
    assertEquals((long) (xbr - xtl + 1) * (ybr - ytl + 1), n - 4, "the payload holds the box's pixels");
    return new double[] {xtl, ytl, xbr + 1, ybr + 1};
  }

  private static double maskIou(JsonNode shape, JsonNode refPolygon, JsonNode refBox, int[] size) {
    Mat ours = Mat.zeros(size[1], size[0], CvType.CV_8UC1);
    Mat theirs = Mat.zeros(size[1], size[0], CvType.CV_8UC1);
    Mat and = new Mat();
    Mat or = new Mat();
    try {
      JsonNode mask = shape.get("mask");
      int n = mask.size();
      int xtl = mask.get(n - 4).asInt();
      int ytl = mask.get(n - 3).asInt();
      int width = mask.get(n - 2).asInt() - xtl + 1;
      for (int i = 0; i < n - 4; i++) {
        if (mask.get(i).asInt() == 1) {
          ours.put(ytl + i / width, xtl + i % width, 1);
        }
      }
      Point[] points = new Point[refPolygon.size() / 2];
      for (int p = 0; p < points.length; p++) {
        // Rounded, not truncated (MatOfPoint holds ints): the same rasterisation as the function's own masks.
        points[p] = new Point(Math.round(refPolygon.get(2 * p).asDouble()), Math.round(refPolygon.get(2 * p + 1).asDouble()));
      }
      Imgproc.fillPoly(theirs, List.of(new MatOfPoint(points)), new Scalar(1));
      // A CVAT mask holds its box's pixels only; Ultralytics' outline reaches up to a few pixels past the box
      // (its masks are upsampled after the box crop), so the reference is compared inside its box.
      Mat box = Mat.zeros(size[1], size[0], CvType.CV_8UC1);
      double[] b = ReferenceMatch.box(refBox);
      Imgproc.rectangle(box, new Point(Math.floor(b[0]), Math.floor(b[1])), new Point(Math.ceil(b[2]) - 1, Math.ceil(b[3]) - 1),
          new Scalar(1), -1);
      Core.bitwise_and(theirs, box, theirs);
      box.release();
      Core.bitwise_and(ours, theirs, and);
      Core.bitwise_or(ours, theirs, or);
      return (double) Core.countNonZero(and) / Core.countNonZero(or);
    } finally {
      ours.release();
      theirs.release();
      and.release();
      or.release();
    }
  }

  private static int[] frameSize(String set, String frame) {
    Mat decoded = Imgcodecs.imdecode(new MatOfByte(Fixtures.frame(set, frame)), Imgcodecs.IMREAD_UNCHANGED);
    int[] size = {decoded.cols(), decoded.rows()};
    decoded.release();
    return size;
  }

  private static void skeletons(FixtureModel model, String frame, JsonNode answer) {
    for (ReferenceMatch.Match match : ReferenceMatch.matches(model.set(), model.id(), frame, answer,
        Parity::keypointLikeness, -Double.MAX_VALUE, "keypoint likeness")) {
      JsonNode skeleton = match.shape();
      String where = frame + " " + match.reference().get("label") + " " + match.reference().get("points");
      assertEquals("skeleton", skeleton.get("type").asText(), where);
      assertFalse(skeleton.has("points"), where + ": a skeleton's position is its elements'");
      JsonNode elements = skeleton.get("elements");
      assertEquals(POSE_KEYPOINTS.size(), elements.size(), where);
      JsonNode keypoints = match.reference().get("keypoints");
      double[] box = ReferenceMatch.box(match.reference());
      double tolerance = Math.max(3, 0.02 * Math.hypot(box[2] - box[0], box[3] - box[1]));
      for (int k = 0; k < POSE_KEYPOINTS.size(); k++) {
        JsonNode element = elements.get(k);
        JsonNode ref = keypoints.get(k);
        String at = where + " " + POSE_KEYPOINTS.get(k);
        assertEquals(POSE_KEYPOINTS.get(k), element.get("label").asText(), at);
        assertEquals("points", element.get("type").asText(), at);
        boolean sure = ref.get(2).asDouble() >= 0.5;
        assertEquals(!sure, element.get("outside").asBoolean(), at + ": outside when below 0.5, as Ultralytics");
        if (sure) {
          double distance = distance(element.get("points"), ref);
          assertTrue(distance <= tolerance, at + ": " + distance + " px from Ultralytics' " + ref);
        }
      }
    }
  }

  /** How alike a reference object and a skeleton are: minus the mean distance of the reference's sure keypoints. */
  private static double keypointLikeness(JsonNode reference, JsonNode skeleton) {
    double sum = 0;
    int count = 0;
    for (int k = 0; k < POSE_KEYPOINTS.size() && k < skeleton.path("elements").size(); k++) {
      JsonNode ref = reference.get("keypoints").get(k);
      if (ref.get(2).asDouble() >= 0.5) {
        sum += distance(skeleton.get("elements").get(k).get("points"), ref);
        count++;
      }
    }
    return count == 0 ? 0 : -sum / count;
  }

  private static double distance(JsonNode point, JsonNode ref) {
    return Math.hypot(point.get(0).asDouble() - ref.get(0).asDouble(), point.get(1).asDouble() - ref.get(1).asDouble());
  }

  private static void rotatedRectangles(FixtureModel model, String frame, JsonNode answer) {
    for (ReferenceMatch.Match match : ReferenceMatch.matches(model.set(), model.id(), frame, answer, Parity::rotatedIou,
        0.9, "rotated IoU")) {
      JsonNode shape = match.shape();
      assertEquals("rectangle", shape.get("type").asText());
      double ours = shape.get("rotation").asDouble();
      double theirs = Math.toDegrees(match.reference().get("xywhr").get(4).asDouble());
      double apart = Math.abs(ours - theirs) % 90; // a box turned by 90° is the same box with its sides swapped
      assertTrue(Math.min(apart, 90 - apart) <= 1, frame + ": rotation " + ours + "° against Ultralytics' " + theirs);
      assertTrue(ours >= 0 && ours < 90, frame + ": Ultralytics regularises angles into [0°, 90°), got " + ours);
    }
  }

  /** The IoU of Ultralytics' corners and a CVAT rectangle turned clockwise about its centre by its rotation. */
  private static double rotatedIou(JsonNode reference, JsonNode shape) {
    JsonNode corners = reference.get("corners");
    Point[] theirs = new Point[4];
    for (int i = 0; i < 4; i++) {
      theirs[i] = new Point(corners.get(i).get(0).asDouble(), corners.get(i).get(1).asDouble());
    }
    return convexIou(theirs, cvatCorners(shape));
  }

  /** CVAT's drawing of a rectangle with a rotation: with y pointing down, a positive angle turns clockwise. */
  public static Point[] cvatCorners(JsonNode shape) {
    JsonNode p = shape.get("points");
    double cx = (p.get(0).asDouble() + p.get(2).asDouble()) / 2;
    double cy = (p.get(1).asDouble() + p.get(3).asDouble()) / 2;
    double hw = (p.get(2).asDouble() - p.get(0).asDouble()) / 2;
    double hh = (p.get(3).asDouble() - p.get(1).asDouble()) / 2;
    double angle = Math.toRadians(shape.path("rotation").asDouble(0));
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double[][] unturned = {{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}};
    Point[] corners = new Point[4];
    for (int i = 0; i < 4; i++) {
      corners[i] = new Point(cx + unturned[i][0] * cos - unturned[i][1] * sin,
          cy + unturned[i][0] * sin + unturned[i][1] * cos);
    }
    return corners;
  }

  private static double convexIou(Point[] a, Point[] b) {
    MatOfPoint2f first = new MatOfPoint2f(a);
    MatOfPoint2f second = new MatOfPoint2f(b);
    MatOfPoint2f both = new MatOfPoint2f();
    try {
      double intersection = Imgproc.intersectConvexConvex(first, second, both, true);
      double union = Math.abs(Imgproc.contourArea(first)) + Math.abs(Imgproc.contourArea(second)) - intersection;
      return union <= 0 ? 0 : Math.max(0, intersection) / union;
    } finally {
      List.of(first, second, both).forEach(MatOfPoint2f::release);
    }
  }

  private static void tags(FixtureModel model, String frame, JsonNode answer) {
    JsonNode top1 = Fixtures.reference(model.set(), model.id(), frame).get(0);
    assertEquals(1, answer.size(), frame + ": one tag a frame: " + answer);
    JsonNode tag = answer.get(0);
    assertEquals("tag", tag.get("type").asText());
    assertEquals(top1.get("label").asText(), tag.get("label").asText(), frame);
    assertEquals(top1.get("confidence").asDouble(), tag.get("confidence").asDouble(), 1e-3, frame);
    assertFalse(tag.has("points"), frame + ": a tag has no position");
  }
}
