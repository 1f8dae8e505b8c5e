package com.example;

/** Someone forgot the annotation. */
public class NotAFunction extends io.cvatfunction.runtime.yolo.YoloDetector {}
