package io.cvatfunction.maven.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.cvatfunction.contract.ImageNames;
import io.cvatfunction.contract.ModelReference;
import io.cvatfunction.maven.scan.FunctionDescriptor;
import io.cvatfunction.maven.scan.FunctionScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns {@code cvat:image}'s parameters and what the build produced into an {@link ImagePlan}: checks each
 * parameter (naming it in the message), picks the function, finds its model, splits the runtime classpath into
 * layers and extracts the native libraries. Knows nothing of Maven: the mojo hands in the project's jars and a way
 * to resolve the few artifacts a project does not depend on.
 */
public final class ImagePlanner {

  /** The handler parameter, named when the project has several functions. */
  static final String HANDLER = "cvat.image.handler";

  /**
   * {@code cvat:image}'s parameters, as given.
   *
   * @param target {@code cvat.image.target}: {@code registry}, {@code docker} or {@code tar}
   * @param name {@code cvat.image.name}
   * @param base {@code cvat.image.base}
   * @param flavor {@code cvat.image.flavor}: {@code cu121} or {@code cpu}
   * @param insecure {@code cvat.image.insecure}
   * @param dockerExecutable {@code cvat.image.dockerExecutable}
   * @param tarFile {@code cvat.image.tarFile}
   * @param jvmFlags {@code cvat.image.jvmFlags}, null when unset
   * @param handler {@code cvat.image.handler}, null when unset
   * @param healthStartPeriod {@code cvat.image.healthStartPeriod}, in seconds
   * @param cacheDirectory {@code cvat.image.cacheDirectory}
   * @param offline Maven's {@code -o}
   */
  public record Parameters(String target, String name, String base, String flavor, boolean insecure,
      String dockerExecutable, Path tarFile, List<String> jvmFlags, String handler, int healthStartPeriod,
      Path cacheDirectory, boolean offline) {}

  /** A jar of the project's runtime classpath. */
  public record Jar(String groupId, String artifactId, String version, Path file, boolean snapshot) {}

  /**
   * What the build produced.
   *
   * @param classes the compiled classes and resources
   * @param basedir the project directory, for a model file given by path
   * @param runtimeJar the {@code cvat-function-runtime} jar, for {@code @CvatFunction}'s defaults
   * @param jars the runtime classpath's jars
   */
  public record Project(Path classes, Path basedir, Path runtimeJar, List<Jar> jars) {}

  /** Resolves an artifact the project does not depend on (a libtorch of the flavour, nvJPEG). */
  @FunctionalInterface
  public interface Resolver {
    /**
     * @param coordinates {@code groupId:artifactId:extension:classifier:version}
     * @throws IOException saying why it cannot be resolved and what to do
     */
    Path resolve(String coordinates) throws IOException;
  }

  private static final Set<String> JAVACPP_NATIVES = Set.of("javacpp", "leptonica");

  private final Resolver resolver;
  private final Consumer<String> log;

  /**
   * @param resolver resolves the native jars of the flavour
   * @param log progress of the natives' extraction
   */
  public ImagePlanner(Resolver resolver, Consumer<String> log) {
    this.resolver = resolver;
    this.log = log;
  }

  /**
   * The plan for these parameters and this build.
   *
   * @throws ImageBuilder.BuildFailure when a parameter or the build is wrong, saying which and how to fix it
   * @throws IOException when an artifact cannot be resolved or the natives cannot be extracted
   */
  public ImagePlan plan(Parameters parameters, Project project) throws ImageBuilder.BuildFailure, IOException {
    ImagePlan.Target target = check(parameters);
    Path classes = project.classes();
    require(Files.isDirectory(classes), classes + " does not exist: run the build first, e.g. mvn package cvat:image");
    FunctionDescriptor function;
    try {
      function = FunctionScanner.find(classes, project.runtimeJar(), parameters.handler(), HANDLER);
    } catch (IllegalArgumentException e) {
      throw new ImageBuilder.BuildFailure(e.getMessage(), e);
    }
    Jar jni = jar(project, "ai.djl.pytorch", "pytorch-jni");
    Jar opencv = jar(project, "org.openpnp", "opencv");
    String pytorchVersion = jni.version().substring(0, jni.version().indexOf('-'));
    String flavor = parameters.flavor();
    Path libtorch = resolver.resolve("ai.djl.pytorch:pytorch-native-" + flavor + ":jar:linux-x86_64:" + pytorchVersion);
    // nvJPEG, the runtime's GPU JPEG decoder, only where there is a GPU.
    Optional<Path> nvjpeg = flavor.equals("cu121") ? Optional.of(resolver.resolve(nvjpegArtifact())) : Optional.empty();
    List<Path> javacpp = project.jars().stream().filter(ImagePlanner::isJavacppNatives).map(Jar::file).toList();
    Path natives;
    try {
      natives = NativeLibraries.extract(new NativeLibraries.Sources(flavor, libtorch, jni.file(), opencv.file(), nvjpeg,
          javacpp), parameters.cacheDirectory().resolve("natives"), log);
    } catch (IOException e) {
      throw extraction(e);
    }
    List<Path> releases = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    for (Jar jar : project.jars()) {
      boolean nativeJar = jar.groupId().equals("ai.djl.pytorch")
          && (jar.artifactId().startsWith("pytorch-native-") || jar.artifactId().equals("pytorch-jni"))
          || isJavacppNatives(jar);
      if (!nativeJar) { // the natives layers replace them
        (jar.snapshot() ? snapshots : releases).add(jar.file());
      }
    }
    Optional<String> modelResource = ModelReference.resource(function.model());
    Optional<Path> modelFile = Optional.empty();
    if (modelResource.isPresent()) {
      require(Files.isRegularFile(classes.resolve(modelResource.get())), "the model " + function.model() + " is not in "
          + classes + ": put it under src/main/resources/" + modelResource.get()
          + " (yolo export model=best.pt format=torchscript)");
    } else if (!function.model().isBlank()) {
      modelFile = Optional.of(project.basedir().resolve(function.model()));
      require(Files.isRegularFile(modelFile.get()),
          "the model file " + modelFile.get() + " does not exist: fix @CvatFunction(model)");
    }
    return new ImagePlan(function.name(), function.className(), parameters.base(), target, parameters.name(),
        parameters.tarFile(), parameters.dockerExecutable(), flavor, pytorchVersion, natives, releases, snapshots,
        classes, modelResource, modelFile, parameters.jvmFlags() == null ? List.of() : parameters.jvmFlags(),
        parameters.insecure(), parameters.offline(), parameters.cacheDirectory(),
        Duration.ofSeconds(parameters.healthStartPeriod()));
  }

  /** Checks the parameters that need no build, returning the target. */
  private static ImagePlan.Target check(Parameters parameters) throws ImageBuilder.BuildFailure {
    ImagePlan.Target target;
    try {
      target = ImagePlan.Target.valueOf(parameters.target().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ImageBuilder.BuildFailure(
          "cvat.image.target must be registry, docker or tar, got '" + parameters.target() + "'", e);
    }
    require(parameters.healthStartPeriod() >= 0, "cvat.image.healthStartPeriod must be a number of seconds, 0 or "
        + "more, got " + parameters.healthStartPeriod());
    String flavor = parameters.flavor();
    require(flavor.equals("cu121") || flavor.equals("cpu"), "cvat.image.flavor must be cu121 or cpu, got '" + flavor
        + "'");
    String name = parameters.name();
    require(target != ImagePlan.Target.REGISTRY || ImageNames.registryHost(name).isPresent(), "cvat.image.name '"
        + name + "' names no registry: write it as registry.example.com[:port]/repository[:tag], or use "
        + "-Dcvat.image.target=docker or tar");
    try {
      ImageReference.parse(name);
    } catch (InvalidImageReferenceException e) {
      throw new ImageBuilder.BuildFailure("cvat.image.name '" + name + "' is not an image reference", e);
    }
    return target;
  }

  private static String nvjpegArtifact() throws IOException {
    try {
      return NativeLibraries.nvjpegArtifact();
    } catch (IOException e) {
      throw extraction(e);
    }
  }

  private static IOException extraction(IOException e) {
    return new IOException("cannot extract the native libraries: " + e.getMessage(), e);
  }

  /**
   * A native jar the runtime brings through JavaCPP, for the image's platform ({@code org.bytedeco:javacpp} or {@code
   * leptonica}, classifier {@code linux-x86_64}); their classes come in jars of their own.
   */
  private static boolean isJavacppNatives(Jar jar) {
    return jar.groupId().equals("org.bytedeco") && JAVACPP_NATIVES.contains(jar.artifactId())
        && jar.file().getFileName().toString().endsWith("-linux-x86_64.jar");
  }

  private static Jar jar(Project project, String groupId, String artifactId) throws ImageBuilder.BuildFailure {
    for (Jar jar : project.jars()) {
      if (jar.groupId().equals(groupId) && jar.artifactId().equals(artifactId)) {
        return jar;
      }
    }
    throw new ImageBuilder.BuildFailure(groupId + ":" + artifactId + " is not on the runtime classpath; it comes with "
        + "io.cvatfunction:cvat-function-runtime", null);
  }

  private static void require(boolean condition, String message) throws ImageBuilder.BuildFailure {
    if (!condition) {
      throw new ImageBuilder.BuildFailure(message, null);
    }
  }
}
