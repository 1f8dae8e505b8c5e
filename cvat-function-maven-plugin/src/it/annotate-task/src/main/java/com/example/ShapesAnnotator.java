package com.example;

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.yolo.YoloDetector;

@CvatFunction(
    name = "shapes-annotator",
    description = "Circles, squares and triangles",
    model = "classpath:fixtures/models/shapes-yolov8n.torchscript",
    confidenceAttribute = "confidence")
public class ShapesAnnotator extends YoloDetector {}
