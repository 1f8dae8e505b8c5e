package io.cvatfunction.maven.image;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.cloud.tools.jib.api.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code target/cvat/image.json}: what {@code cvat:deploy} deploys, by digest.
 *
 * @param image the repository, registry included, without tag
 * @param tag the tag written
 * @param digest the manifest digest
 * @param reference {@code image@digest}
 * @param imageId the config digest
 * @param flavor {@code cu121} or {@code cpu}
 * @param baseDigest the base image's digest
 * @param target {@code registry}, {@code docker} or {@code tar}
 */
public record ImageReport(
    String image, String tag, String digest, String reference, String imageId, String flavor, String baseDigest,
    String target) {

  /** The file name {@code cvat:image} writes and {@code cvat:deploy} reads. */
  public static final String FILE = "image.json";

  // The record's components are the JSON keys, in their order: one list for the writer and the reader.
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** What {@link ImageBuilder} built for {@code plan}; Docker Hub's registry is written {@code docker.io}, as users do. */
  public static ImageReport of(ImagePlan plan, ImageBuilder.Result result) {
    ImageReference reference = result.reference();
    String registry = reference.getRegistry().equals("registry-1.docker.io") ? "docker.io" : reference.getRegistry();
    String repository = registry + "/" + reference.getRepository();
    return new ImageReport(repository, reference.getTag().orElse("latest"), result.digest(),
        repository + "@" + result.digest(), result.imageId(), plan.flavor(), result.baseDigest(),
        plan.target().name().toLowerCase(Locale.ROOT));
  }

  /** Writes the report as pretty JSON, keys in a fixed order. */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, JSON.writeValueAsString(this) + "\n");
  }

  /**
   * The fields of a parsed image.json, unchecked; a missing key is null.
   *
   * @throws IllegalArgumentException when a field is not a JSON scalar
   */
  public static ImageReport of(JsonNode root) {
    return JSON.convertValue(root, ImageReport.class);
  }
}
