package io.cvatfunction.maven.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.contract.ImageNames;
import io.cvatfunction.maven.image.ImageReport;
import io.cvatfunction.maven.nuclio.NuclioException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code cvat:image} built, as recorded in {@code target/cvat/image.json}.
 *
 * @param image the repository, e.g. {@code registry.example.com:5000/shapes-detector}
 * @param tag the tag it was pushed with, e.g. {@code 0.1.0}
 * @param digest the manifest digest, {@code sha256:<64 hex>}
 * @param flavor {@code cu121} or {@code cpu}, when recorded
 * @param target where the image went: {@code registry}, {@code docker} or {@code tar}
 * @param file the image.json it was read from, for messages
 */
public record ImageRecord(String image, String tag, String digest, String flavor, String target, Path file) {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  // Docker's reference grammar, loosely: lowercase path components, an optional registry host[:port] first.
  private static final Pattern REPOSITORY = Pattern.compile(
      "([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads and checks an image.json.
   *
   * @throws NuclioException when it is missing, not JSON, or lacks what a deploy needs
   */
  public static ImageRecord read(Path file) throws NuclioException {
    if (!Files.isRegularFile(file)) {
      throw new NuclioException("no " + file + ": run cvat:image first (it builds the function's image and records "
          + "its digest there), e.g. mvn package cvat:image cvat:deploy");
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new NuclioException(file + " is not valid JSON (" + e.getOriginalMessage() + "): run cvat:image again");
    } catch (IOException e) {
      throw new NuclioException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new NuclioException(file + " is not a JSON object: run cvat:image again");
    }
    ImageReport report;
    try {
      report = ImageReport.of(root);
    } catch (IllegalArgumentException e) {
      throw new NuclioException(file + " is not what cvat:image writes (" + e.getMessage() + "): run cvat:image again",
          e);
    }
    String image = text(report.image());
    String tag = text(report.tag());
    String digest = text(report.digest());
    String reference = text(report.reference());
    String target = text(report.target());
    String flavor = text(report.flavor());
    String again = " in " + file + "; run cvat:image again";
    if (image == null || !REPOSITORY.matcher(image).matches()) {
      throw new NuclioException((image == null ? "no \"image\"" : "\"image\" '" + image + "' is not an image name")
          + again);
    }
    if (target == null) {
      target = "registry";
    }
    if (!target.matches("registry|docker|tar")) {
      throw new NuclioException("\"target\" is '" + target + "', expected registry, docker or tar" + again);
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw new NuclioException("\"tag\" '" + tag + "' is not a Docker tag" + again);
    }
    if (!target.equals("tar") && (digest == null || !DIGEST.matcher(digest).matches())) {
      throw new NuclioException((digest == null ? "no \"digest\"" : "\"digest\" '" + digest
          + "' is not sha256:<64 lowercase hex digits>") + again);
    }
    if (reference != null && digest != null && !reference.equals(image + "@" + digest)) {
      throw new NuclioException("\"reference\" '" + reference + "' does not match \"image\" and \"digest\" ("
          + image + "@" + digest + ")" + again);
    }
    return new ImageRecord(image, tag, digest, flavor, target, file);
  }

  /** The image pinned by its digest, {@code image@sha256:...}. */
  public String byDigest() {
    return image + "@" + digest;
  }

  /** The image by its tag, when one was recorded. */
  public Optional<String> byTag() {
    return Optional.ofNullable(tag).map(t -> image + ":" + t);
  }

  /** The registry part of {@link #image()} ({@code host[:port]}), when it names one. */
  public Optional<String> registryHost() {
    return ImageNames.registryHost(image);
  }

  private static String text(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
