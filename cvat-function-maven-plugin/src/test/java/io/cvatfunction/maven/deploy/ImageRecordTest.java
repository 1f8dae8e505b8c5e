package io.cvatfunction.maven.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.image.ImageReport;
import io.cvatfunction.maven.nuclio.NuclioException;
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
    return assertThrows(NuclioException.class, () -> ImageRecord.read(file)).getMessage();
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
  void readsBackWhatImageReportWrites() throws Exception {
    Path file = dir.resolve("cvat").resolve(ImageReport.FILE);
    new ImageReport("localhost:5000/shapes", "0.1.0", DIGEST, "localhost:5000/shapes@" + DIGEST,
        "sha256:" + "1".repeat(64), "cpu", null, "docker").write(file);
    // The keys in the record's order, absent values as null: the file cvat:image has always written.
    assertEquals("{\n  \"image\" : \"localhost:5000/shapes\",\n  \"tag\" : \"0.1.0\",\n  \"digest\" : \"" + DIGEST
        + "\",\n  \"reference\" : \"localhost:5000/shapes@" + DIGEST + "\",\n  \"imageId\" : \"sha256:" + "1".repeat(64)
        + "\",\n  \"flavor\" : \"cpu\",\n  \"baseDigest\" : null,\n  \"target\" : \"docker\"\n}\n",
        Files.readString(file).replace("\r\n", "\n"));
    assertEquals(new ImageRecord("localhost:5000/shapes", "0.1.0", DIGEST, "cpu", "docker", file),
        ImageRecord.read(file));
  }

  @Test
  void aMissingFileSaysToRunCvatImageFirst() {
    String message = assertThrows(NuclioException.class, () -> ImageRecord.read(dir.resolve("image.json")))
        .getMessage();
    assertTrue(message.startsWith("no " + dir.resolve("image.json") + ": run cvat:image first"), message);
  }

  @Test
  void everyBrokenFieldIsNamed() throws Exception {
    assertTrue(readFailure("{\"image\": ").contains("is not valid JSON"));
    assertTrue(readFailure("[]").contains("is not a JSON object"));
    assertTrue(readFailure("{\"image\": {\"name\": \"shapes\"}, \"digest\": \"" + DIGEST + "\"}")
        .contains("is not what cvat:image writes"));
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
