package ${package};

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.yolo.YoloDetector;

#set($javaDescription = $description.replace('\', '\\').replace('"', '\"'))
/**
 * The CVAT function {@code ${functionName}}: answers CVAT's auto-annotation requests as Ultralytics' {@code predict}
 * would, with the YOLO model {@code src/main/resources/models/best.torchscript}. Its labels and task come from the
 * model, any Ultralytics task: detect (CVAT rectangles), segment (masks; polygons with {@code segments =
 * CvatFunction.SegmentShape.POLYGON}), pose (skeletons, one point a keypoint), obb (rotated rectangles), classify
 * (one tag a frame, the top class).
 *
 * <p>To rename or leave out model labels, add {@code labels} to the annotation, e.g.
 * {@code labels = {@Label(model = "person", name = "pedestrian"), @Label(model = "bicycle", drop = true)}}
 * (import {@code io.cvatfunction.runtime.Label}). {@code gpus = 0} makes it a CPU-only function.
 *
 * <p>A pose model's keypoints are named, in the model's order, by {@code keypoints = {"tip", "tail", ...}} and joined
 * in CVAT by {@code edges = {"tip - tail"}}, or by {@code src/main/resources/models/keypoints.txt} (one name a line,
 * edges as {@code a - b} lines, {@code #} comments); else by the model's own names, COCO's for 17 keypoints, or
 * numbers. A keypoint scoring below {@code keypointThreshold} (0.5) is marked outside (hidden).
 *
 * <p>{@code confidenceAttribute} declares a number attribute {@code confidence} (0 to 100) on every label and returns
 * each shape's score in it, in percent: CVAT ignores a shape's confidence otherwise. Give your task's labels a
 * number attribute {@code confidence} (0;100;1) to keep the scores; remove the line to return none.
 */
@CvatFunction(
    name = "${functionName}",
    description = "${javaDescription}",
    confidenceAttribute = "confidence",
    model = "classpath:models/best.torchscript")
public class ${className} extends YoloDetector {}
