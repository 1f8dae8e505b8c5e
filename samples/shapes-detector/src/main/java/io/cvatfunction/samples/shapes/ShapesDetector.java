package io.cvatfunction.samples.shapes;

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.yolo.YoloDetector;

/** Finds circles, squares and triangles with a YOLOv8n model trained on synthetic frames. */
@CvatFunction(
    name = "shapes-detector",
    displayName = "Shapes detector (YOLOv8n)",
    description = "Finds circles, squares and triangles; the cvat-function sample",
    model = "classpath:models/shapes-yolov8n.torchscript")
public class ShapesDetector extends YoloDetector {}
