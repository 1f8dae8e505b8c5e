package io.cvatfunction.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the model layer holds (the model, and a pose model's keypoint names where the runtime looks for them), and
 * JavaCPP's libraries in a layer of their own that the entrypoint points JavaCPP at.
 */
class ImageLayersTest {

  @TempDir
  Path dir;

  private ImagePlan plan(Optional<String> resource, Optional<Path> file) throws Exception {
    Files.createDirectories(dir.resolve("natives/libtorch"));
    Files.createDirectories(dir.resolve("natives/opencv"));
    return new ImagePlan("pose", "com.example.Pose", "base", ImagePlan.Target.TAR, "pose:1", dir.resolve("image.tar"),
        "docker", "cpu", "2.3.1", dir.resolve("natives"), List.of(), List.of(), dir.resolve("classes"), resource, file,
        List.of(), false, true, dir.resolve("cache"), Duration.ZERO);
  }

  private static List<String> layer(List<FileEntriesLayer> layers, String name) {
    return layers.stream().filter(l -> l.getName().equals(name)).findFirst().orElseThrow().getEntries().stream()
        .map(FileEntry::getExtractionPath).map(Object::toString).toList();
  }

  @Test
  void aModelFileGoesWithTheKeypointsTxtBesideIt() throws Exception {
    Files.createDirectories(dir.resolve("classes"));
    Path model = Files.createDirectories(dir.resolve("models")).resolve("best.torchscript");
    Files.write(model, new byte[] {1});
    assertEquals(List.of("/opt/cvat/model/best.torchscript"),
        layer(ImageLayers.of(plan(Optional.empty(), Optional.of(model))), "model"));

    Files.writeString(dir.resolve("models/keypoints.txt"), "tip\ntail\n");
    assertEquals(List.of("/opt/cvat/model/best.torchscript", "/opt/cvat/model/keypoints.txt"),
        layer(ImageLayers.of(plan(Optional.empty(), Optional.of(model))), "model"));
  }

  @Test
  void javacppLoadsItsLibrariesFromTheirLayerWhereThereAreAny() throws Exception {
    Files.createDirectories(dir.resolve("classes"));
    ImagePlan plan = plan(Optional.empty(), Optional.empty());
    assertTrue(ImageLayers.of(plan).stream().noneMatch(l -> l.getName().equals("javacpp")));
    assertFalse(ImageBuilder.entrypoint(plan).stream().anyMatch(a -> a.contains("javacpp")));

    Path javacpp = Files.createDirectories(dir.resolve("natives").resolve(NativeLibraries.JAVACPP));
    Files.write(javacpp.resolve("libjnijavacpp.so"), new byte[] {1});
    Files.write(javacpp.resolve("libleptonica.so.6"), new byte[] {2});
    assertEquals(List.of("/opt/cvat/javacpp/libjnijavacpp.so", "/opt/cvat/javacpp/libleptonica.so.6"),
        layer(ImageLayers.of(plan), "javacpp"));
    List<String> entrypoint = ImageBuilder.entrypoint(plan);
    assertEquals(List.of("java", "-Dorg.bytedeco.javacpp.pathsFirst=true",
        "-Dorg.bytedeco.javacpp.platform.linkpath=/opt/cvat/javacpp", "-cp"), entrypoint.subList(0, 4));
  }

  @Test
  void aResourceModelsKeypointsTxtIsAResourceBesideIt() throws Exception {
    Path models = Files.createDirectories(dir.resolve("classes/models"));
    Files.write(models.resolve("best.torchscript"), new byte[] {1});
    Files.writeString(models.resolve("keypoints.txt"), "tip\ntail\n");
    List<FileEntriesLayer> layers = ImageLayers.of(plan(Optional.of("models/best.torchscript"), Optional.empty()));
    assertEquals(List.of("/app/resources/models/best.torchscript"), layer(layers, "model"));
    assertEquals(List.of("/app/resources/models/keypoints.txt"), layer(layers, "resources"));
  }
}
