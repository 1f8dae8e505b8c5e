package io.cvatfunction.maven.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and checking what cvat:image recorded. */
class ImageRecordTest {

  private static final String DIGEST = DeployerTest.DIGEST;

  @TempDir
  Path dir;

  private String readFailure(String json) throws Exception {
    Path file = dir.resolve("image.json");
    Files.writeString(file, json);
    return assertThrows(DeployException.class, () -> ImageRecord.read(file)).getMessage();
  }

  @Test
  void readsWhatCvatImageWrites() throws Exception {
    Path file = Path.of(ImageRecordTest.class.getResource("/deploy/image.json").toURI());
    ImageRecord image = ImageRecord.read(file);
    assertEquals("registry.example.com:5000/shapes-detector@" + DIGEST, image.byDigest());
    assertEquals(Optional.of("registry.example.com:5000/shapes-detector:0.1.0"), image.byTag());
    assertEquals(Optional.of("registry.example.com:5000"), image.registryHost());
    assertEquals("cu121", image.flavor());
    assertEquals("registry", image.target());
  }

  @Test
  void aMissingFileSaysToRunCvatImageFirst() {
    String message = assertThrows(DeployException.class, () -> ImageRecord.read(dir.resolve("image.json")))
        .getMessage();
    assertTrue(message.startsWith("no " + dir.resolve("image.json") + ": run cvat:image first"), message);
  }

  @Test
  void everyBrokenFieldIsNamed() throws Exception {
    assertTrue(readFailure("{\"image\": ").contains("is not valid JSON"));
    assertTrue(readFailure("[]").contains("is not a JSON object"));
    assertTrue(readFailure("{\"digest\": \"" + DIGEST + "\"}").startsWith("no \"image\""));
    assertTrue(readFailure("{\"image\": \"Registry/Shapes\", \"digest\": \"" + DIGEST + "\"}")
        .startsWith("\"image\" 'Registry/Shapes' is not an image name"));
    assertTrue(readFailure("{\"image\": \"shapes\"}").startsWith("no \"digest\""));
    assertTrue(readFailure("{\"image\": \"shapes\", \"digest\": \"sha256:abc\"}")
        .startsWith("\"digest\" 'sha256:abc' is not sha256:<64 lowercase hex digits>"));
    assertTrue(readFailure("{\"image\": \"shapes\", \"digest\": \"" + DIGEST + "\", \"target\": \"s3\"}")
        .startsWith("\"target\" is 's3', expected registry, docker or tar"));
    assertTrue(readFailure("{\"image\": \"shapes\", \"digest\": \"" + DIGEST + "\", \"reference\": \"other@" + DIGEST
        + "\"}").contains("does not match \"image\" and \"digest\""));
  }

  @Test
  void aRegistryIsOnlyTheFirstComponentWhenItLooksLikeAHost() throws Exception {
    Path file = dir.resolve("image.json");
    Files.writeString(file, "{\"image\": \"team/shapes\", \"digest\": \"" + DIGEST + "\"}");
    assertEquals(Optional.empty(), ImageRecord.read(file).registryHost(), "team/ is a Docker Hub namespace");
    Files.writeString(file, "{\"image\": \"localhost/shapes\", \"digest\": \"" + DIGEST + "\"}");
    assertEquals(Optional.of("localhost"), ImageRecord.read(file).registryHost());
  }
}
