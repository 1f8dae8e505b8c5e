package io.cvatfunction.runtime.yolo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.contract.ClassNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an Ultralytics export says about itself in its {@code config.txt} extra file.
 *
 * @param names class names by class id
 * @param inputWidth the model input's width in pixels
 * @param inputHeight the model input's height in pixels
 * @param stride the largest stride
 * @param task what the model was trained to do (absent from old exports: detect)
 * @param end2end whether the head is NMS-free ({@code (1, 300, 6)} output), when the file says so
 */
public record ModelMetadata(
    List<String> names, int inputWidth, int inputHeight, int stride, Task task, Boolean end2end) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses {@code config.txt}. */
  public static ModelMetadata parse(String configTxt) {
    JsonNode root;
    try {
      root = JSON.readTree(configTxt);
    } catch (Exception e) {
      throw new IllegalArgumentException("the model's config.txt is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the model's config.txt is not a JSON object");
    }
    List<String> names = parseNames(root.get("names"));
    JsonNode imgsz = root.get("imgsz");
    int height;
    int width;
    if (imgsz != null && imgsz.isArray() && imgsz.size() == 2) {
      height = imgsz.get(0).asInt();
      width = imgsz.get(1).asInt();
    } else if (imgsz != null && imgsz.canConvertToInt()) {
      height = imgsz.asInt();
      width = height;
    } else {
      throw new IllegalArgumentException("the model's config.txt has no usable \"imgsz\": " + imgsz);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("the model's config.txt has a non-positive \"imgsz\": " + imgsz);
    }
    int stride = root.path("stride").asInt(32);
    Task task = Task.parse(root.path("task").asText(Task.DETECT.id()));
    JsonNode end2end = root.get("end2end");
    return new ModelMetadata(names, width, height, stride, task,
        end2end == null || end2end.isNull() ? null : end2end.asBoolean());
  }

  private static List<String> parseNames(JsonNode node) {
    if (node == null || node.isEmpty()) {
      throw new IllegalArgumentException("the model's config.txt has no \"names\": export it with Ultralytics");
    }
    if (node.isArray()) {
      List<String> names = new ArrayList<>();
      node.forEach(n -> names.add(n.asText()));
      return Collections.unmodifiableList(names);
    }
    Map<String, String> byId = new LinkedHashMap<>();
    node.properties().forEach(entry -> byId.put(entry.getKey(), entry.getValue().asText()));
    try {
      return ClassNames.byClassId(byId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the model's \"names\" " + e.getMessage(), e);
    }
  }

  /** The number of classes. */
  public int classCount() {
    return names.size();
  }

  /** Whether this is a segmentation model. */
  public boolean isSegmentation() {
    return task == Task.SEGMENT;
  }
}
