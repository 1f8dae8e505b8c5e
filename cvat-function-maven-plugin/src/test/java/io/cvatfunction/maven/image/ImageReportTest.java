package io.cvatfunction.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.ImageReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What cvat:image records of the image it built: the repository with its registry, the tag and the digests. */
class ImageReportTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String ID = "sha256:" + "b".repeat(64);
  private static final String BASE = "sha256:" + "c".repeat(64);

  private static ImagePlan plan(ImagePlan.Target target, String flavor) {
    Path any = Path.of("/tmp/any");
    return new ImagePlan("balls", "com.example.Balls", "eclipse-temurin:17-jre-jammy", target, "unused", any, "docker",
        flavor, "2.3.1", any, List.of(), List.of(), any, Optional.empty(), Optional.empty(), List.of(), false, false,
        any, Duration.ZERO);
  }

  @Test
  void recordsTheRegistryTheTagAndTheDigests() throws Exception {
    ImageBuilder.Result result = new ImageBuilder.Result(
        ImageReference.parse("registry.example.com:5000/team/balls:1.0"), DIGEST, ID, BASE);
    assertEquals(new ImageReport("registry.example.com:5000/team/balls", "1.0", DIGEST,
        "registry.example.com:5000/team/balls@" + DIGEST, ID, "cu121", BASE, "registry"),
        ImageReport.of(plan(ImagePlan.Target.REGISTRY, "cu121"), result));
  }

  @Test
  void dockerHubIsWrittenAsUsersWriteItAndAMissingTagIsLatest() throws Exception {
    ImageBuilder.Result result = new ImageBuilder.Result(ImageReference.parse("balls"), DIGEST, ID, BASE);
    assertEquals(new ImageReport("docker.io/library/balls", "latest", DIGEST, "docker.io/library/balls@" + DIGEST, ID,
        "cpu", BASE, "tar"), ImageReport.of(plan(ImagePlan.Target.TAR, "cpu"), result));
  }
}
