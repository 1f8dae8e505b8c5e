package io.cvatfunction.runtime.yolo;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.image.LetterBox;
import io.cvatfunction.runtime.image.ModelInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * Ultralytics' {@code segment} task, answered as CVAT masks (with their outline as {@code points}) or, when the
 * function says so ({@link CvatFunction#segments()}), polygons. A segmentation model's outputs: its detection head's boxes, their mask coefficients as extra values, and the
 * prototypes as the second output. Instance masks as Ultralytics' predict computes them ({@code process_mask}):
 * mask coefficients times prototypes, cropped to the box, bilinearly upsampled to the model input, thresholded
 * at logit 0 — on the tensors' device, which hands the host only each instance's {@link MaskRegion}. Then, per
 * instance and only in its region, OpenCV traces the outline in the model input and scales it to the frame, as
 * Ultralytics' {@code masks.xy}; CVAT's mask is that outline filled.
 */
final class SegmentTask implements TaskDecoder<Detection.Segment> {

  /** Polygon simplification tolerance in frame pixels: removes staircase vertices, keeps the outline. */
  private static final double POLYGON_EPSILON = 1.0;

  private final BoxHead head;
  private final boolean polygons;

  /**
   * @param polygons whether instances are answered as polygons rather than masks
   */
  SegmentTask(BoxHead head, boolean polygons) {
    this.head = head;
    this.polygons = polygons;
  }

  static SegmentTask of(TaskContext context) {
    return new SegmentTask(BoxHead.of(context.metadata(), context.outputShape()),
        context.function().segments() == CvatFunction.SegmentShape.POLYGON);
  }

  @Override
  public List<Detection.Segment> decode(NDList outputs, ModelInput input, float threshold) {
    LetterBox letterBox = input.letterBox();
    Boxes boxes = head.boxes(outputs.get(0), threshold);
    float[] frame = boxes.inFrame(letterBox);
    // An export without prototypes still gives its boxes, each with an empty mask.
    InstanceMask[] masks = outputs.size() > 1
        ? masks(outputs.get(0).getManager(), outputs.get(1), boxes, frame, letterBox)
        : new InstanceMask[boxes.count()];
    return boxes.detections(head.names(), (i, classId, label, score) -> new Detection.Segment(classId, label, score,
        frame[4 * i], frame[4 * i + 1], frame[4 * i + 2], frame[4 * i + 3],
        masks[i] != null ? masks[i] : InstanceMask.empty(frame, i)));
  }

  @Override
  public Shape shape(Detection.Segment segment, String label, List<ShapeAttribute> attributes) {
    InstanceMask mask = segment.mask();
    if (mask.polygon().length < 6) { // an instance whose mask vanished has nothing to annotate
      return null;
    }
    return polygons
        ? Shape.polygon(label, mask.polygon(), segment.score(), attributes)
        : Shape.mask(label, mask.polygon(), mask.cvatMask(), segment.score(), attributes);
  }

  /**
   * @param protos the prototype tensor {@code (1, k, mh, mw)}
   * @param boxes the instances, boxes still in model-input pixels, coefficients in {@code extras}
   * @param frameBoxes the same boxes in frame pixels
   */
  private static InstanceMask[] masks(NDManager manager, NDArray protos, Boxes boxes, float[] frameBoxes,
      LetterBox letterBox) {
    int n = boxes.count();
    InstanceMask[] masks = new InstanceMask[n];
    if (n == 0) {
      return masks;
    }
    int inputW = letterBox.dstWidth();
    int inputH = letterBox.dstHeight();
    NDArray prototypes = protos.get(0);
    long k = prototypes.getShape().get(0);
    long mh = prototypes.getShape().get(1);
    long mw = prototypes.getShape().get(2);
    // One copy to the device for the mask coefficients and, for crop_mask, each box's columns and rows (0 or 1): a
    // copy from the host waits for the work queued before it on the stream, other requests' passes included.
    int coefficientsLength = n * boxes.extraWidth();
    int columnsEnd = coefficientsLength + (int) (n * mw);
    float[] host = Arrays.copyOf(boxes.extras(), columnsEnd + (int) (n * mh));
    // crop_mask: zero outside each box scaled to the prototype grid, rounded to whole cells as Ultralytics'
    // predict-time crop_mask does; made here rather than by a dozen comparisons on the device, each a kernel launch.
    float[] box = boxes.boxes();
    for (int i = 0; i < n; i++) {
      fill(host, coefficientsLength + i * mw, mw, Math.round(box[4 * i] * mw / inputW),
          Math.round(box[4 * i + 2] * mw / inputW));
      fill(host, columnsEnd + i * mh, mh, Math.round(box[4 * i + 1] * mh / inputH),
          Math.round(box[4 * i + 3] * mh / inputH));
    }
    NDArray uploaded = manager.create(host).toDevice(protos.getDevice(), false);
    NDArray coefficients = uploaded.get(new NDIndex("0:{}", coefficientsLength)).reshape(n, boxes.extraWidth());
    NDArray columns = uploaded.get(new NDIndex("{}:{}", coefficientsLength, columnsEnd)).reshape(n, 1, mw);
    NDArray rows = uploaded.get(new NDIndex("{}:", columnsEnd)).reshape(n, mh, 1);
    NDArray logits = coefficients.matMul(prototypes.reshape(k, mh * mw)).reshape(n, mh, mw);
    NDArray cropped = logits.mul(columns).mul(rows);
    NDArray upsampled = NDImageUtils.resize(cropped.expandDims(3), inputW, inputH, Image.Interpolation.BILINEAR);

    // Only each box's neighbourhood holds its instance's pixels (crop_mask zeroed the rest): only those regions
    // are thresholded and cross to the host, in one copy.
    MaskRegion[] regions = new MaskRegion[n];
    NDList pieces = new NDList(n);
    for (int i = 0; i < n; i++) {
      regions[i] = MaskRegion.around(boxes.boxes(), i, inputW, inputH);
      pieces.add(upsampled.get(regions[i].of(i)).flatten());
    }
    byte[] binary = NDArrays.concat(pieces).gt(0f).toType(DataType.UINT8, false).toByteArray();
    int offset = 0;
    for (int i = 0; i < n; i++) {
      masks[i] = instanceMask(binary, offset, regions[i], frameBoxes, i, letterBox);
      offset += regions[i].size();
    }
    return masks;
  }

  /**
   * Maps instance {@code i}'s input-space mask (0/1) to the frame as Ultralytics reports it ({@code masks.xy}):
   * its outer contours traced in the model input, scaled to the frame ({@code scale_coords}), then filled
   * inside the instance's box for CVAT's mask.
   *
   * @param binary the regions' pixels, row-major, one region after another
   * @param offset where instance {@code i}'s region starts in {@code binary}
   */
  private static InstanceMask instanceMask(byte[] binary, int offset, MaskRegion region, float[] frameBoxes, int i,
      LetterBox letterBox) {
    // The crop's first and last pixels: a box (and an outline) may end on the frame's edge, x = width, past them.
    int frameW = letterBox.srcWidth();
    int frameH = letterBox.srcHeight();
    int left = clamp((int) Math.floor(frameBoxes[4 * i]), frameW - 1);
    int top = clamp((int) Math.floor(frameBoxes[4 * i + 1]), frameH - 1);
    int right = Math.max(left, clamp((int) Math.ceil(frameBoxes[4 * i + 2]) - 1, frameW - 1));
    int bottom = Math.max(top, clamp((int) Math.ceil(frameBoxes[4 * i + 3]) - 1, frameH - 1));

    Mat pixels = new Mat(region.height(), region.width(), CvType.CV_8UC1);
    pixels.put(0, 0, binary, offset, region.size());
    List<MatOfPoint> contours = new ArrayList<>();
    Mat hierarchy = new Mat();
    Imgproc.findContours(pixels, contours, hierarchy, Imgproc.RETR_EXTERNAL, Imgproc.CHAIN_APPROX_SIMPLE,
        new Point(region.x(), region.y()));
    hierarchy.release();
    pixels.release();

    List<Point[]> outlines = new ArrayList<>();
    MatOfPoint2f largest = null;
    double largestArea = -1;
    for (MatOfPoint contour : contours) {
      Point[] frame = toFrame(contour.toArray(), letterBox);
      outlines.add(frame);
      double area = Imgproc.contourArea(contour);
      if (area > largestArea) {
        largestArea = area;
        if (largest != null) {
          largest.release();
        }
        largest = new MatOfPoint2f(frame);
      }
      contour.release();
    }
    // CVAT's mask is the box's crop, as CVAT's own functions make it; the outline (points) stays whole,
    // since bilinear upsampling lets Ultralytics' masks reach a few pixels past the box.
    List<MatOfPoint> inCrop = new ArrayList<>();
    for (Point[] outline : outlines) {
      Point[] shifted = new Point[outline.length];
      for (int p = 0; p < outline.length; p++) {
        shifted[p] = new Point(Math.round(outline[p].x) - left, Math.round(outline[p].y) - top);
      }
      inCrop.add(new MatOfPoint(shifted));
    }
    Mat bits = Mat.zeros(bottom - top + 1, right - left + 1, CvType.CV_8UC1);
    try {
      if (!inCrop.isEmpty()) {
        Imgproc.fillPoly(bits, inCrop, new Scalar(1));
      }
      byte[] values = new byte[(int) bits.total()];
      bits.get(0, 0, values);
      return new InstanceMask(left, top, right, bottom, values, simplify(largest));
    } finally {
      bits.release();
      inCrop.forEach(Mat::release);
      if (largest != null) {
        largest.release();
      }
    }
  }

  /** Contour points in model-input pixels, mapped to the frame. */
  private static Point[] toFrame(Point[] points, LetterBox letterBox) {
    float[] xy = new float[points.length * 2];
    for (int p = 0; p < points.length; p++) {
      xy[2 * p] = (float) points[p].x;
      xy[2 * p + 1] = (float) points[p].y;
    }
    letterBox.mapPointsToFrame(xy, 0, points.length);
    Point[] frame = new Point[points.length];
    for (int p = 0; p < points.length; p++) {
      frame[p] = new Point(xy[2 * p], xy[2 * p + 1]);
    }
    return frame;
  }

  /** The outline without staircase vertices, in frame pixels. */
  private static float[] simplify(MatOfPoint2f outline) {
    if (outline == null) {
      return new float[0];
    }
    MatOfPoint2f simplified = new MatOfPoint2f();
    Imgproc.approxPolyDP(outline, simplified, POLYGON_EPSILON, true);
    Point[] points = simplified.toArray();
    simplified.release();
    float[] polygon = new float[points.length * 2];
    for (int p = 0; p < points.length; p++) {
      polygon[2 * p] = (float) points[p].x;
      polygon[2 * p + 1] = (float) points[p].y;
    }
    return polygon;
  }

  /** Sets the cells {@code from ≤ c < to} of the {@code length} at {@code start} to 1: inside a box on one axis. */
  private static void fill(float[] cells, long start, long length, int from, int to) {
    for (int c = Math.max(0, from); c < Math.min(length, to); c++) {
      cells[(int) start + c] = 1f;
    }
  }

  private static int clamp(int value, int max) {
    return Math.max(0, Math.min(max, value));
  }
}
