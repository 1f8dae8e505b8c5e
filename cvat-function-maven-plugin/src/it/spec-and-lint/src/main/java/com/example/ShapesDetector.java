package com.example;

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.yolo.YoloDetector;

@CvatFunction(
    name = "it-shapes",
    description = "Shapes, in an integration test",
    model = "classpath:models/shapes-yolov8n.torchscript")
public class ShapesDetector extends YoloDetector {}
