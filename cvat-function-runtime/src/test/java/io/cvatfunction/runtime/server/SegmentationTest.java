package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.ReferenceMatch;
import io.cvatfunction.runtime.TestDetectors;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * The segmentation model through the real server: every instance Ultralytics finds comes back as a CVAT
 * mask whose box matches (IoU ≥ 0.9, same label, confidence within 0.02) and whose pixels overlap the
 * filled reference contour ({@code masks.xy}) with IoU ≥ 0.9.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentationTest {

  @AutoClose
  private final ServerFixture server = ServerFixture.ready(new TestDetectors.ShapesSeg());

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.cvatfunction.runtime.Fixtures#FRAMES")
  void masksMatchUltralytics(String frame) {
    assertMasksMatch(frame, server.detect(Fixtures.frame(frame), 0.5));
  }

  /** Checks an answer received for {@code frame} at threshold 0.5. */
  static void assertMasksMatch(String frame, HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    int[] size = frameSize(frame);
    for (ReferenceMatch.Match match :
        ReferenceMatch.matches("shapes-yolov8n-seg", frame, ServerFixture.json(response), SegmentationTest::boxOf)) {
      JsonNode ref = match.reference();
      double maskIou = maskIou(match.shape(), ref.get("polygon"), ref, size);
      assertTrue(maskIou >= 0.9, frame + ": mask IoU " + maskIou + " for " + ref.get("label"));
      JsonNode outline = match.shape().get("points");
      assertTrue(outline.size() >= 6 && outline.size() % 2 == 0, "a polygon outline");
    }
  }

  @Test
  void polygonsOnRequest() {
    JsonNode shapes = ServerFixture.shapesOnce(new TestDetectors.ShapesSegPolygons(), Fixtures.frame("000.jpg"));
    assertEquals(Fixtures.reference("shapes-yolov8n-seg", "000.jpg").size(), shapes.size());
    shapes.forEach(shape -> {
      assertEquals("polygon", shape.get("type").asText());
      assertTrue(shape.path("mask").isMissingNode());
      assertTrue(shape.get("points").size() >= 6);
    });
  }

  /** The box of a CVAT mask: the last four values of its payload, whose length must fit them. */
  static double[] boxOf(JsonNode shape) {
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

  private static int[] frameSize(String frame) {
    Mat decoded = org.opencv.imgcodecs.Imgcodecs.imdecode(new org.opencv.core.MatOfByte(Fixtures.frame(frame)),
        org.opencv.imgcodecs.Imgcodecs.IMREAD_UNCHANGED);
    int[] size = {decoded.cols(), decoded.rows()};
    decoded.release();
    return size;
  }

}
