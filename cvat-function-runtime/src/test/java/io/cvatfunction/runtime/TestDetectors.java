package io.cvatfunction.runtime;

import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.yolo.Detection;
import io.cvatfunction.runtime.yolo.YoloDetector;
import io.cvatfunction.runtime.yolo.YoloModel;
import java.util.List;

/** Detectors on the fixture models, written as a user would write them. */
public final class TestDetectors {

  private TestDetectors() {}

  /** A fixture detector whose loaded model tests can look at. */
  public abstract static class Exposed extends YoloDetector {
    public YoloModel yolo() {
      return model();
    }
  }

  /** The raw-head YOLOv8n shapes model. */
  @CvatFunction(
      name = "shapes-yolov8n",
      description = "Circles, squares and triangles (YOLOv8n)",
      model = "classpath:fixtures/models/shapes-yolov8n.torchscript",
      workers = 4)
  public static class ShapesYolov8n extends Exposed {}

  /** The NMS-free YOLO26n shapes model. */
  @CvatFunction(
      name = "shapes-yolo26n",
      description = "Circles, squares and triangles (YOLO26n, NMS-free)",
      model = "classpath:fixtures/models/shapes-yolo26n.torchscript",
      workers = 4)
  public static class ShapesYolo26n extends Exposed {}

  /** The YOLOv8n segmentation model: CVAT masks. */
  @CvatFunction(
      name = "shapes-yolov8n-seg",
      description = "Circles, squares and triangles (YOLOv8n-seg)",
      model = "classpath:fixtures/models/shapes-yolov8n-seg.torchscript",
      workers = 4)
  public static class ShapesSeg extends Exposed {}

  /** The YOLOv8n pose model (arrows and kites, four keypoints): CVAT skeletons, its keypoints named here. */
  @CvatFunction(
      name = "shapes-yolov8n-pose",
      description = "Arrows and kites with their tip, tail and sides (YOLOv8n-pose)",
      model = "classpath:fixtures/models/shapes-yolov8n-pose.torchscript",
      keypoints = {"tip", "tail", "left", "right"},
      edges = {"tip - left", "left - tail", "tail - right", "right - tip"},
      confidenceAttribute = "confidence",
      workers = 4)
  public static class ShapesPose extends Exposed {}

  /** The YOLOv8n OBB model (plates, bars and cards at any angle): CVAT rectangles with a rotation. */
  @CvatFunction(
      name = "shapes-yolov8n-obb",
      description = "Plates, bars and cards at any angle (YOLOv8n-obb)",
      model = "classpath:fixtures/models/shapes-yolov8n-obb.torchscript",
      workers = 4)
  public static class ShapesObb extends Exposed {}

  /** The YOLOv8n classify model (one circle, square or triangle a frame): a CVAT tag. */
  @CvatFunction(
      name = "shapes-yolov8n-cls",
      description = "Whether a frame shows a circle, a square or a triangle (YOLOv8n-cls)",
      model = "classpath:fixtures/models/shapes-yolov8n-cls.torchscript",
      confidenceAttribute = "confidence",
      workers = 4)
  public static class ShapesCls extends Exposed {}

  /** The same model answering polygons. */
  @CvatFunction(
      name = "shapes-yolov8n-seg-polygons",
      description = "Circles, squares and triangles as polygons",
      model = "classpath:fixtures/models/shapes-yolov8n-seg.torchscript",
      segments = CvatFunction.SegmentShape.POLYGON)
  public static class ShapesSegPolygons extends YoloDetector {}

  /** Renames one label, drops another and adds an attribute, through the annotation and the hooks. */
  @CvatFunction(
      name = "renamed-shapes",
      description = "Balls and triangles",
      model = "classpath:fixtures/models/shapes-yolov8n.torchscript",
      labels = {
          @Label(model = "circle", name = "ball",
              attributes = @Attribute(name = "size", inputType = Attribute.InputType.SELECT, values = {"small", "large"})),
          @Label(model = "square", drop = true)
      })
  public static class RenamedShapes extends YoloDetector {
    @Override
    protected List<ShapeAttribute> attributes(Detection d) {
      return d instanceof Detection.Box box && box.label().equals("circle")
          ? List.of(new ShapeAttribute("size", (box.x2() - box.x1()) > 200 ? "large" : "small"))
          : List.of();
    }
  }

  /** The segmentation model returning each shape's score in a CVAT number attribute. */
  @CvatFunction(
      name = "scored-shapes",
      description = "Circles, squares and triangles, with their scores",
      model = "classpath:fixtures/models/shapes-yolov8n-seg.torchscript",
      confidenceAttribute = "confidence")
  public static class ScoredShapes extends YoloDetector {}
}
