package io.cvatfunction.runtime.yolo;

import io.cvatfunction.contract.ModelReference;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a model reference to a file DJL can load: a path, or {@code classpath:} and a resource name. A
 * resource inside a jar is copied to a temporary file once per process (its labels are read before it loads, from the
 * same copy), because TorchScript metadata can only be read from a file.
 */
public final class ModelSource {

  /** The temporary copies of resources inside jars, by the resource's URL. */
  private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

  private ModelSource() {}

  /** Resolves {@code reference} against the file system or {@code loader}'s resources. */
  public static Path resolve(String reference, ClassLoader loader) throws IOException {
    if (reference == null || reference.isBlank()) {
      throw new FileNotFoundException("no model given: set @CvatFunction(model = ...), CVAT_MODEL or -Dcvat.model");
    }
    Optional<String> classpath = ModelReference.resource(reference);
    if (classpath.isEmpty()) {
      Path file = Path.of(reference);
      if (!Files.isRegularFile(file)) {
        throw new FileNotFoundException("the model file " + file.toAbsolutePath() + " does not exist");
      }
      return file;
    }
    String resource = classpath.get();
    URL url = loader.getResource(resource);
    if (url == null) {
      throw new FileNotFoundException("the model resource " + resource + " is not on the classpath "
          + "(put it under src/main/resources/" + resource + ")");
    }
    if ("file".equals(url.getProtocol())) {
      try {
        return Path.of(url.toURI());
      } catch (URISyntaxException e) {
        throw new IOException("bad model resource URL " + url, e);
      }
    }
    Path copied = COPIES.get(url.toString());
    if (copied != null && Files.isRegularFile(copied)) {
      return copied;
    }
    String name = resource.substring(resource.lastIndexOf('/') + 1);
    Path folder = Files.createTempDirectory("cvat-model");
    // The JVM deletes in the reverse order of registration: the file first, then its folder.
    folder.toFile().deleteOnExit();
    Path copy = folder.resolve(name);
    copy.toFile().deleteOnExit();
    try (InputStream in = url.openStream()) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    COPIES.put(url.toString(), copy);
    return copy;
  }

  /**
   * The text of the file {@code name} beside the model {@code reference} names (in the same folder, or the same
   * resource folder for a {@code classpath:} reference), if there is one: a pose model's {@code keypoints.txt}.
   */
  public static Optional<String> besideModel(String reference, String name, ClassLoader loader) throws IOException {
    if (reference == null || reference.isBlank()) {
      return Optional.empty();
    }
    Optional<String> classpath = ModelReference.resource(reference);
    if (classpath.isEmpty()) {
      Path file = Path.of(reference).toAbsolutePath().resolveSibling(name);
      return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }
    String resource = classpath.get();
    String sibling = resource.substring(0, resource.lastIndexOf('/') + 1) + name;
    try (InputStream in = loader.getResourceAsStream(sibling)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
