package io.cvatfunction.runtime.yolo;

/**
 * One object the model found, in frame pixels.
 *
 * @param classId the model's class id
 * @param label the model's class name
 * @param score the confidence
 * @param x1 left
 * @param y1 top
 * @param x2 right
 * @param y2 bottom
 * @param mask the instance's mask for segmentation models, else null
 */
public record Detection(
    int classId, String label, float score, float x1, float y1, float x2, float y2, InstanceMask mask) {}
