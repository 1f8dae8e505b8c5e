package io.cvatfunction.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The base image for test builds (tests never pull from Docker Hub): built by
 * {@code src/test/scripts/build-test-base.sh} and cached under {@code ~/.cache/cvat-function/test-base},
 * keyed by the script's content so a changed script rebuilds it.
 */
final class TestBase {

  private TestBase() {}

  static synchronized Path archive(Path module) throws IOException, InterruptedException {
    Path script = module.resolve("src/test/scripts/build-test-base.sh");
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "cvat-function", "test-base");
    Path archive = cache.resolve("debian12-jre17-" + hash(Files.readAllBytes(script)) + ".tar");
    if (!Files.isRegularFile(archive)) {
      Commands.run(module, module.resolve("target/it-logs/test-base.log"), 1200,
          List.of("bash", script.toString(), archive.toString()));
    }
    return archive;
  }

  private static String hash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
