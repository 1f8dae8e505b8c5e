package io.cvatfunction.maven.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.contract.ClassNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What {@code cvat:spec} needs from a model: its label names and task, read from the {@code config.txt}
 * extra file Ultralytics writes into a TorchScript export (a zip), without loading the model.
 *
 * @param names label names by class id
 * @param task {@code detect}, {@code segment}, ...
 */
public record ModelInfo(List<String> names, String task) {

  /** Reads the metadata of a TorchScript file. */
  public static ModelInfo read(Path torchScript) throws IOException {
    try (ZipFile zip = new ZipFile(torchScript.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.getName().endsWith("/extra/config.txt")) {
          try (InputStream in = zip.getInputStream(entry)) {
            return parse(new ObjectMapper().readTree(in), torchScript);
          }
        }
      }
    } catch (java.util.zip.ZipException e) {
      throw new IOException(torchScript + " is not a TorchScript file (not a zip): export the model with "
          + "'yolo export model=best.pt format=torchscript'", e);
    }
    throw new IOException(torchScript + " has no config.txt metadata: export it with Ultralytics "
        + "('yolo export model=best.pt format=torchscript') or name the labels in @CvatFunction(labels)");
  }

  private static ModelInfo parse(JsonNode config, Path file) throws IOException {
    JsonNode names = config.path("names");
    List<String> list = new ArrayList<>();
    if (names.isArray()) {
      names.forEach(n -> list.add(n.asText()));
    } else if (names.isObject()) {
      Map<String, String> byId = new LinkedHashMap<>();
      names.properties().forEach(entry -> byId.put(entry.getKey(), entry.getValue().asText()));
      try {
        list.addAll(ClassNames.byClassId(byId));
      } catch (IllegalArgumentException e) { // the runtime refuses such a model: so does the spec
        throw new IOException(file + ": config.txt names " + e.getMessage()
            + ", so the runtime would refuse this model: export it again with Ultralytics", e);
      }
    }
    if (list.isEmpty()) {
      throw new IOException(file + ": config.txt has no label names");
    }
    return new ModelInfo(List.copyOf(list), config.path("task").asText("detect"));
  }

  /**
   * The CVAT label type of this model's labels: {@code rectangle} for detection; for segmentation
   * {@code mask}, or {@code polygon} when the function answers polygons.
   */
  public String labelType(String segments) {
    if (!"segment".equals(task)) {
      return "rectangle";
    }
    return "polygon".equals(segments) ? "polygon" : "mask";
  }
}
