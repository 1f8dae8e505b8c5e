package io.cvatfunction.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.spec.CompiledProject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * cvat:image's planning on classes compiled by javac and small jars laid out like DJL's and openpnp's: the exact
 * plan, the artifacts it resolves, and each refusal with the parameter it names.
 */
class ImagePlannerTest {

  @TempDir
  static Path dir;

  private static CompiledProject project;
  private static Path jni;
  private static Path opencv;
  private static Path runtime;
  private static Path jackson;
  private static Path leptonica;
  private static Path cuda;
  private static List<ImagePlanner.Jar> jars;

  private final List<String> resolved = new ArrayList<>();
  private final List<String> log = new ArrayList<>();

  private static String detector(String className, String name, String model) {
    return "package com.example;\n@io.cvatfunction.runtime.CvatFunction(name = \"" + name + "\", description = \"d\","
        + " model = \"" + model + "\")\n"
        + "public class " + className + " extends io.cvatfunction.runtime.yolo.YoloDetector {}\n";
  }

  private static Path jar(String name, String... entries) throws IOException {
    Path file = dir.resolve("jars").resolve(name);
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String entry : entries) {
        zip.putNextEntry(new ZipEntry(entry));
        zip.write(entry.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return file;
  }

  @BeforeAll
  static void build() throws Exception {
    project = new CompiledProject(dir.resolve("project")).compile(Map.of(
        "com.example.Balls", detector("Balls", "balls", "classpath:models/balls.torchscript"),
        "com.example.Boxes", detector("Boxes", "boxes", "models/boxes.torchscript")));
    Files.createDirectories(project.classes.resolve("models"));
    Files.write(project.classes.resolve("models/balls.torchscript"), new byte[] {1});
    jni = jar("pytorch-jni-2.3.1-0.29.0.jar", "jnilib/linux-x86_64/cpu/libdjl_torch.so",
        "jnilib/linux-x86_64/cu121/libdjl_torch.so");
    opencv = jar("opencv-4.9.0-0.jar", "nu/pattern/opencv/linux/x86_64/libopencv_java490.so");
    runtime = jar("cvat-function-runtime-0.1.0-SNAPSHOT.jar", "io/cvatfunction/runtime/Marker.class");
    jackson = jar("jackson-databind-2.17.2.jar", "com/fasterxml/Marker.class");
    leptonica = jar("leptonica-1.87.0-1.5.14.jar", "org/bytedeco/leptonica/PIX.class");
    cuda = jar("cuda-redist-12.9-9.10-1.5.12-linux-x86_64.jar", "org/bytedeco/cuda/linux-x86_64/libcudart.so.12");
    jars = List.of(
        new ImagePlanner.Jar("io.cvatfunction", "cvat-function-runtime", "0.1.0-SNAPSHOT", runtime, true),
        new ImagePlanner.Jar("ai.djl.pytorch", "pytorch-jni", "2.3.1-0.29.0", jni, false),
        new ImagePlanner.Jar("ai.djl.pytorch", "pytorch-native-cpu", "2.3.1", jar("pytorch-native-cpu-2.3.1.jar"), false),
        new ImagePlanner.Jar("org.openpnp", "opencv", "4.9.0-0", opencv, false),
        new ImagePlanner.Jar("com.fasterxml.jackson.core", "jackson-databind", "2.17.2", jackson, false),
        new ImagePlanner.Jar("org.bytedeco", "leptonica", "1.87.0-1.5.14", leptonica, false),
        new ImagePlanner.Jar("org.bytedeco", "leptonica", "1.87.0-1.5.14", jar("leptonica-1.87.0-1.5.14-linux-x86_64.jar",
            "org/bytedeco/leptonica/linux-x86_64/libjnileptonica.so"), false),
        new ImagePlanner.Jar("org.bytedeco", "javacpp", "1.5.14", jar("javacpp-1.5.14-linux-x86_64.jar",
            "org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so"), false),
        // Not a JavaCPP jar the runtime brings: a dependency like any other, its libraries left in it
        new ImagePlanner.Jar("org.bytedeco", "cuda-redist", "12.9-9.10-1.5.12", cuda, false));
  }

  private ImagePlanner planner() {
    return new ImagePlanner(coordinates -> {
      resolved.add(coordinates);
      if (coordinates.contains("pytorch-native-")) {
        String flavor = coordinates.split(":")[1].substring("pytorch-native-".length());
        return jar(flavor + ".jar", "pytorch/" + flavor + "/linux-x86_64/libtorch.so");
      }
      return jar("cuda-redist.jar", "org/bytedeco/cuda/linux-x86_64/" + NativeLibraries.NVJPEG);
    }, log::add);
  }

  private static ImagePlanner.Parameters parameters(String target, String name, String flavor, String handler,
      int healthStartPeriod) {
    return new ImagePlanner.Parameters(target, name, "eclipse-temurin:17-jre-jammy", flavor, false, "podman",
        dir.resolve("image.tar"), null, handler, healthStartPeriod, dir.resolve("cache"), true);
  }

  private ImagePlan plan(ImagePlanner.Parameters parameters) throws Exception {
    return planner().plan(parameters, new ImagePlanner.Project(project.classes, dir.resolve("project"),
        project.runtimeJar, jars));
  }

  @Test
  void plansTheFunctionsLayersNativesAndModel() throws Exception {
    ImagePlan plan = plan(parameters(" Tar ", "balls:1.0", "cpu", "balls", 60));

    Path natives = dir.resolve("cache/natives/cpu-cpu-pytorch-jni-2.3.1-0.29.0-opencv-4.9.0-0"
        + "-javacpp-1.5.14-linux-x86_64-leptonica-1.87.0-1.5.14-linux-x86_64");
    assertEquals(new ImagePlan("balls", "com.example.Balls", "eclipse-temurin:17-jre-jammy", ImagePlan.Target.TAR,
        "balls:1.0", dir.resolve("image.tar"), "podman", "cpu", "2.3.1", natives,
        List.of(opencv, jackson, leptonica, cuda),
        List.of(runtime), project.classes, Optional.of("models/balls.torchscript"), Optional.empty(), List.of(),
        false, true, dir.resolve("cache"), Duration.ofSeconds(60)), plan);
    assertEquals(List.of("ai.djl.pytorch:pytorch-native-cpu:jar:linux-x86_64:2.3.1"), resolved,
        "the libtorch of the flavour, at the JNI's libtorch version; no nvJPEG without CUDA");
    assertTrue(Files.isRegularFile(natives.resolve("libtorch/libtorch.so")), "extracted");
    assertTrue(Files.isRegularFile(natives.resolve("opencv/libopencv_java490.so")), "extracted");
    try (Stream<Path> javacpp = Files.list(natives.resolve(NativeLibraries.JAVACPP))) {
      assertEquals(List.of("libjnijavacpp.so", "libjnileptonica.so"), javacpp.map(p -> p.getFileName().toString())
          .sorted().toList(), "JavaCPP's natives of the runtime, not cuda-redist's");
    }
  }

  @Test
  void cudaAddsNvjpegToTheNatives() throws Exception {
    ImagePlan plan = plan(parameters("registry", "registry.example.com/team/balls:1.0", "cu121", "com.example.Balls", 0));
    assertEquals(List.of("ai.djl.pytorch:pytorch-native-cu121:jar:linux-x86_64:2.3.1",
        NativeLibraries.nvjpegArtifact()), resolved);
    assertTrue(Files.isRegularFile(plan.natives().resolve("libtorch").resolve(NativeLibraries.NVJPEG)));
    assertEquals(ImagePlan.Target.REGISTRY, plan.target());
  }

  @ParameterizedTest(name = "{4}")
  @CsvSource(delimiter = '|', value = {
      "hub      | balls:1              | cpu   | 0  | cvat.image.target must be registry, docker or tar, got 'hub'",
      "tar      | balls:1              | cpu   | -1 | cvat.image.healthStartPeriod must be a number of seconds, 0 or more, got -1",
      "tar      | balls:1              | rocm  | 0  | cvat.image.flavor must be cu121 or cpu, got 'rocm'",
      "registry | team/balls:1         | cpu   | 0  | cvat.image.name 'team/balls:1' names no registry: write it as "
          + "registry.example.com[:port]/repository[:tag], or use -Dcvat.image.target=docker or tar",
      "docker   | Balls:1              | cpu   | 0  | cvat.image.name 'Balls:1' is not an image reference"})
  void aBadParameterIsNamed(String target, String name, String flavor, int healthStartPeriod, String message) {
    assertEquals(message, assertThrows(ImageBuilder.BuildFailure.class,
        () -> plan(parameters(target, name, flavor, "balls", healthStartPeriod))).getMessage());
    assertEquals(List.of(), resolved, "refused before anything is resolved");
  }

  @Test
  void whatTheBuildLacksIsNamed() {
    ImagePlanner.Parameters good = parameters("tar", "balls:1", "cpu", "boxes", 0);
    assertEquals("the model file " + dir.resolve("project/models/boxes.torchscript") + " does not exist: fix "
        + "@CvatFunction(model)", assertThrows(ImageBuilder.BuildFailure.class, () -> plan(good)).getMessage());

    assertEquals("several functions in " + project.classes + ": balls (com.example.Balls), boxes (com.example.Boxes); "
        + "choose one with -Dcvat.image.handler=<class or function name>", assertThrows(ImageBuilder.BuildFailure.class,
            () -> plan(parameters("tar", "balls:1", "cpu", null, 0))).getMessage());

    Path missing = dir.resolve("not-built/classes");
    assertEquals(missing + " does not exist: run the build first, e.g. mvn package cvat:image",
        assertThrows(ImageBuilder.BuildFailure.class, () -> planner().plan(good,
            new ImagePlanner.Project(missing, dir, project.runtimeJar, jars))).getMessage());

    assertEquals("ai.djl.pytorch:pytorch-jni is not on the runtime classpath; it comes with "
        + "io.cvatfunction:cvat-function-runtime", assertThrows(ImageBuilder.BuildFailure.class,
            () -> planner().plan(good, new ImagePlanner.Project(project.classes, dir, project.runtimeJar,
                jars.stream().filter(j -> !j.artifactId().equals("pytorch-jni")).toList()))).getMessage());
  }

  @Test
  void aModelMissingFromTheClassesSaysWhereToPutIt() throws Exception {
    Path model = project.classes.resolve("models/balls.torchscript");
    Files.move(model, dir.resolve("moved"));
    try {
      assertEquals("the model classpath:models/balls.torchscript is not in " + project.classes + ": put it under "
          + "src/main/resources/models/balls.torchscript (yolo export model=best.pt format=torchscript)",
          assertThrows(ImageBuilder.BuildFailure.class,
              () -> plan(parameters("tar", "balls:1", "cpu", "balls", 0))).getMessage());
    } finally {
      Files.move(dir.resolve("moved"), model);
    }
  }

  @Test
  void anArtifactThatCannotBeResolvedStopsThePlanWithTheResolversMessage() throws Exception {
    ImagePlanner offline = new ImagePlanner(coordinates -> {
      throw new IOException("cannot resolve " + coordinates + " offline: run once online so it is in the local "
          + "repository");
    }, log::add);
    IOException failure = assertThrows(IOException.class, () -> offline.plan(parameters("tar", "balls:1", "cpu",
        "balls", 0), new ImagePlanner.Project(project.classes, dir, project.runtimeJar, jars)));
    assertEquals("cannot resolve ai.djl.pytorch:pytorch-native-cpu:jar:linux-x86_64:2.3.1 offline: run once online "
        + "so it is in the local repository", failure.getMessage());

    ImagePlanner noNvjpeg = new ImagePlanner(coordinates -> {
      if (coordinates.equals(NativeLibraries.nvjpegArtifact())) {
        throw new IOException("cannot resolve " + coordinates + ": not in Maven Central");
      }
      return jar("cu121.jar", "pytorch/cu121/linux-x86_64/libtorch.so");
    }, log::add);
    failure = assertThrows(IOException.class, () -> noNvjpeg.plan(parameters("tar", "balls:1", "cu121", "balls", 0),
        new ImagePlanner.Project(project.classes, dir, project.runtimeJar, jars)));
    assertEquals("cannot resolve " + NativeLibraries.nvjpegArtifact() + ": not in Maven Central", failure.getMessage(),
        "a resolution failure is not an extraction failure");
  }

  @Test
  void anExtractionFailureSaysSo() {
    ImagePlanner emptyLibtorch = new ImagePlanner(coordinates -> jar("empty.jar"), log::add);
    IOException failure = assertThrows(IOException.class, () -> emptyLibtorch.plan(parameters("tar", "balls:1", "cpu",
        "balls", 0), new ImagePlanner.Project(project.classes, dir, project.runtimeJar, jars)));
    assertEquals("cannot extract the native libraries: no libtorch or JNI library for flavor cpu in empty.jar / "
        + "pytorch-jni-2.3.1-0.29.0.jar", failure.getMessage());
  }
}
