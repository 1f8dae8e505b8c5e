package io.cvatfunction.maven.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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

  /** Writes the report as pretty JSON, keys in a fixed order. */
  public void write(Path file) throws IOException {
    Map<String, String> json = new LinkedHashMap<>();
    json.put("image", image);
    json.put("tag", tag);
    json.put("digest", digest);
    json.put("reference", reference);
    json.put("imageId", imageId);
    json.put("flavor", flavor);
    json.put("baseDigest", baseDigest);
    json.put("target", target);
    Files.createDirectories(file.getParent());
    Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n");
  }
}
