package io.cvatfunction.maven.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Derives a base image that carries a Docker {@code HEALTHCHECK}: Nuclio's local platform waits for Docker's
 * {@code healthy}, and jib can only copy a health check from its base. The probe is bash's {@code /dev/tcp}
 * talking to {@code 127.0.0.1:8082/ready}, so no JVM and no extra binary run per probe.
 *
 * <p>Failed probes within the start period do not count, so Docker shows {@code starting}, not {@code unhealthy},
 * while a large model loads; the first success ends it.
 *
 * <p>Input and output are {@code docker save} archives; the output is cached by the input's identity.
 */
public final class HealthcheckBase {

  /** The probe: {@code GET /ready} on the health port, healthy on a 200 status line. */
  public static final List<String> TEST = List.of("CMD", "bash", "-c",
      "exec 3<>/dev/tcp/127.0.0.1/8082 && printf 'GET /ready HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' >&3"
          + " && read -r status <&3 && [[ $status == *' 200 '* ]]");
  static final long INTERVAL_NANOS = 2_000_000_000L;
  static final long TIMEOUT_NANOS = 3_000_000_000L;
  static final int RETRIES = 3;

  private static final ObjectMapper JSON = new ObjectMapper();

  private HealthcheckBase() {}

  /**
   * Returns a copy of {@code baseArchive} whose config has the health check, from the cache when possible.
   *
   * @param baseArchive a {@code docker save} archive (as jib and {@code skopeo copy ... docker-archive:} write)
   * @param cache where derived bases are kept
   * @param startPeriod how long after the start failed probes do not count
   */
  public static Path derive(Path baseArchive, Path cache, Duration startPeriod) throws IOException {
    Path derived = cache.resolve(key(baseArchive, startPeriod) + ".tar");
    if (Files.isRegularFile(derived)) {
      return derived;
    }
    Files.createDirectories(cache);
    String configName = configName(baseArchive);
    Path partial = Files.createTempFile(cache, "base", ".partial");
    try (InputStream file = Files.newInputStream(baseArchive);
        TarArchiveInputStream in = new TarArchiveInputStream(file);
        OutputStream outFile = Files.newOutputStream(partial);
        TarArchiveOutputStream out = new TarArchiveOutputStream(outFile)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.getName().equals(configName)) {
          byte[] config = withHealthcheck(in.readAllBytes(), startPeriod);
          TarArchiveEntry replaced = new TarArchiveEntry(entry.getName());
          replaced.setSize(config.length);
          replaced.setModTime(entry.getModTime());
          replaced.setMode(entry.getMode());
          out.putArchiveEntry(replaced);
          out.write(config);
        } else {
          out.putArchiveEntry(entry);
          in.transferTo(out);
        }
        out.closeArchiveEntry();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, derived, StandardCopyOption.REPLACE_EXISTING);
    return derived;
  }

  static byte[] withHealthcheck(byte[] configJson, Duration startPeriod) throws IOException {
    JsonNode root = JSON.readTree(configJson);
    if (!(root instanceof ObjectNode image)) {
      throw new IOException("the base image's config is not a JSON object");
    }
    ObjectNode config = image.has("config") && image.get("config").isObject()
        ? (ObjectNode) image.get("config") : image.putObject("config");
    ObjectNode healthcheck = config.putObject("Healthcheck");
    TEST.forEach(healthcheck.putArray("Test")::add);
    healthcheck.put("Interval", INTERVAL_NANOS);
    healthcheck.put("Timeout", TIMEOUT_NANOS);
    healthcheck.put("StartPeriod", startPeriod.toNanos());
    healthcheck.put("Retries", RETRIES);
    return JSON.writeValueAsBytes(image);
  }

  private static String configName(Path archive) throws IOException {
    try (InputStream file = Files.newInputStream(archive); TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.getName().equals("manifest.json")) {
          JsonNode manifest = JSON.readTree(in.readAllBytes());
          JsonNode config = manifest.path(0).path("Config");
          if (config.isTextual()) {
            return config.asText();
          }
        }
      }
    }
    throw new IOException(archive + " is not a docker save archive (no manifest.json with a Config): "
        + "write one with 'skopeo copy ... docker-archive:FILE' or 'docker save'");
  }

  /** The digest of an archive's image config (its image id). */
  public static String configDigest(Path archive) throws IOException {
    String name = configName(archive);
    try (InputStream file = Files.newInputStream(archive); TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.getName().equals(name)) {
          return "sha256:" + HexFormat.of().formatHex(sha256(in.readAllBytes()));
        }
      }
    }
    throw new IOException(archive + " has no " + name);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Identifies an archive by path, size and mtime, and the health check, without reading it. */
  private static String key(Path archive, Duration startPeriod) throws IOException {
    String identity = archive.toAbsolutePath() + "|" + Files.size(archive) + "|" + Files.getLastModifiedTime(archive)
        + "|" + TEST + INTERVAL_NANOS + TIMEOUT_NANOS + RETRIES + "|" + startPeriod.toNanos();
    return HexFormat.of().formatHex(sha256(identity.getBytes(StandardCharsets.UTF_8)), 0, 16);
  }
}
