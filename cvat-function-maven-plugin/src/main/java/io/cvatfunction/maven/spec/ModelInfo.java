package io.cvatfunction.maven.spec;

import io.cvatfunction.contract.ModelMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads what {@code cvat:spec} needs from a model, its {@link ModelMetadata}, from the {@code config.txt} extra file
 * Ultralytics writes into a TorchScript export (a zip), without loading the model. It is read by the runtime's own
 * rule, so a model the runtime would refuse is refused here too, and the spec is never written for it.
 */
public final class ModelInfo {

  private ModelInfo() {}

  /** Reads the metadata of a TorchScript file. */
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
      return ModelMetadata.parse(config);
    } catch (IllegalArgumentException e) {
      throw new IOException(torchScript + ": " + e.getMessage() + ", so the runtime would refuse this model: export it"
          + " again with Ultralytics", e);
    }
  }
}
