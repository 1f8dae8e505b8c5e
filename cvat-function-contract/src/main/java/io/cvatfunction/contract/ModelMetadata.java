package io.cvatfunction.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * What an Ultralytics export says about itself in its {@code config.txt} extra file: the runtime serves the model by
 * it and {@code cvat:spec} declares its labels by it, so both read it by one rule.
 *
 * @param names class names by class id
 * @param inputWidth the model input's width in pixels
 * @param inputHeight the model input's height in pixels
 * @param stride the largest stride
 * @param task what the model was trained to do (absent from old exports: detect)
 * @param end2end whether the head is NMS-free ({@code (1, 300, 6)} output), when the file says so
 * @param keypoints a pose model's keypoints per object and values per keypoint ({@code kpt_shape}: 3 for x, y and a
 *     visibility score, 2 for x, y alone); null for other tasks
 * @param keypointNames a pose model's keypoint names by class id ({@code kpt_names}, written by Ultralytics since
 *     8.3.2xx); empty when the export has none
 */
public record ModelMetadata(
    List<String> names, int inputWidth, int inputHeight, int stride, YoloTask task, Boolean end2end,
    KeypointShape keypoints, Map<Integer, List<String>> keypointNames) {

  /**
   * A pose model's {@code kpt_shape}.
   *
   * @param count keypoints per object
   * @param values values per keypoint: 2 (x, y) or 3 (x, y, visibility)
   */
  public record KeypointShape(int count, int values) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads the metadata of a TorchScript file from the {@code config.txt} extra file Ultralytics writes into its
   * export (a zip), without loading the model.
   *
   * @throws IOException naming what is wrong with the file, and a model the runtime would refuse
   */
  public static ModelMetadata read(Path torchScript) throws IOException {
    String config = null;
    try (ZipFile zip = new ZipFile(torchScript.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (config == null && entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.getName().endsWith("/extra/config.txt")) {
          try (InputStream in = zip.getInputStream(entry)) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
        }
      }
    } catch (ZipException e) {
      throw new IOException(torchScript + " is not a TorchScript file (not a zip): export the model with "
          + "'yolo export model=best.pt format=torchscript'", e);
    }
    if (config == null) {
      throw new IOException(torchScript + " has no config.txt metadata: export it with Ultralytics "
          + "('yolo export model=best.pt format=torchscript')");
    }
    try {
      return parse(config);
    } catch (IllegalArgumentException e) {
      throw new IOException(torchScript + ": " + e.getMessage() + ", so the runtime would refuse this model: export it"
          + " again with Ultralytics", e);
    }
  }

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
    YoloTask task = YoloTask.parse(root.path("task").asText(""));
    JsonNode end2end = root.get("end2end");
    return new ModelMetadata(names, width, height, stride, task,
        end2end == null || end2end.isNull() ? null : end2end.asBoolean(),
        task == YoloTask.POSE ? keypointShape(root.get("kpt_shape")) : null, keypointNames(root.get("kpt_names")));
  }

  private static KeypointShape keypointShape(JsonNode node) {
    if (node == null || !node.isArray() || node.size() != 2 || !node.get(0).canConvertToInt()
        || node.get(0).asInt() < 1 || (node.get(1).asInt() != 2 && node.get(1).asInt() != 3)) {
      throw new IllegalArgumentException("the pose model's config.txt has no usable \"kpt_shape\" ([keypoints, 2 or"
          + " 3]): " + node + "; export it with Ultralytics");
    }
    return new KeypointShape(node.get(0).asInt(), node.get(1).asInt());
  }

  private static Map<Integer, List<String>> keypointNames(JsonNode node) {
    Map<Integer, List<String>> byClass = new LinkedHashMap<>();
    if (node == null || !node.isObject()) {
      return byClass;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      List<String> names = new ArrayList<>();
      entry.getValue().forEach(n -> names.add(n.asText()));
      try {
        byClass.put(Integer.parseInt(entry.getKey().trim()), List.copyOf(names));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the model's \"kpt_names\" has a non-numeric class id '" + entry.getKey()
            + "'", e);
      }
    }
    return Collections.unmodifiableMap(byClass);
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
}
