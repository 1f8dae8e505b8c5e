package io.cvatfunction.maven.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import io.cvatfunction.contract.ServerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds a function's image with jib-core, no Docker daemon needed: a base with a HEALTHCHECK derived from
 * the configured one ({@link HealthcheckBase}), then {@link ImageLayers}, an environment under which DJL
 * neither downloads nor misses the GPU, the runtime's function server as entrypoint, a non-root user.
 * Same inputs, same digest: creation time and file times are fixed.
 */
public final class ImageBuilder {

  /** The user the function runs as. */
  public static final String USER = "1000:1000";

  // One containerize at a time in this JVM: jib's caches and global properties are shared (jib#922).
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static final Pattern BASE_DIGEST = Pattern.compile("Using base image with digest: (sha256:[0-9a-f]{64})");

  private final Function<ImageReference, List<CredentialRetriever>> credentials;
  private final Consumer<LogEvent> log;

  /**
   * @param credentials credential retrievers for a registry image (settings.xml servers, Docker config)
   * @param log where jib's and our messages go
   */
  public ImageBuilder(Function<ImageReference, List<CredentialRetriever>> credentials, Consumer<LogEvent> log) {
    this.credentials = credentials;
    this.log = log;
  }

  /**
   * What was built.
   *
   * @param reference the image reference written
   * @param digest the manifest digest
   * @param imageId the config digest
   * @param baseDigest the base's manifest digest (registry bases) or config digest (archive bases)
   */
  public record Result(ImageReference reference, String digest, String imageId, String baseDigest) {}

  /** Builds and writes the image. */
  public Result build(ImagePlan plan) throws IOException, InterruptedException, BuildFailure {
    LOCK.lock();
    try {
      long start = System.nanoTime();
      BaseImage base = base(plan);
      JibContainerBuilder image = Jib.from(TarImage.at(base.archive()).named("cvat-function-base"))
          .setFileEntriesLayers(ImageLayers.of(plan))
          .setEntrypoint(entrypoint(plan))
          .setEnvironment(environment(plan))
          .setUser(USER)
          .setWorkingDirectory(AbsoluteUnixPath.get("/app"))
          .setExposedPorts(Set.of(Port.tcp(8080), Port.tcp(8082)))
          .setLabels(Map.of(
              "org.opencontainers.image.title", plan.functionName(),
              "io.cvatfunction.handler", plan.handlerClass(),
              "io.cvatfunction.flavor", plan.flavor()))
          .setCreationTime(Instant.EPOCH)
          .setFormat(ImageFormat.Docker)
          .setPlatforms(Set.of(new Platform("amd64", "linux")));
      JibContainer container = image.containerize(containerizer(plan));
      log.accept(LogEvent.lifecycle(String.format("Built %s@%s in %.1f s", container.getTargetImage(),
          container.getDigest(), (System.nanoTime() - start) / 1e9)));
      return new Result(container.getTargetImage(), container.getDigest().toString(),
          container.getImageId().toString(), base.digest());
    } catch (IOException e) {
      throw new IOException("the image build failed: " + e.getMessage(), e);
    } catch (InvalidImageReferenceException e) {
      throw new BuildFailure("cvat.image.name '" + plan.imageName() + "' is not an image reference: " + e.getMessage(), e);
    } catch (ExecutionException e) {
      throw new BuildFailure("the image build failed: " + describe(e.getCause()), e.getCause());
    } catch (com.google.cloud.tools.jib.api.RegistryException
        | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
      throw new BuildFailure("the image build failed: " + describe(e), e);
    } finally {
      LOCK.unlock();
    }
  }

  /** An image that cannot be planned or built for a reason the user can act on; the message says which and how. */
  public static final class BuildFailure extends Exception {
    private static final long serialVersionUID = 1L;

    BuildFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record BaseImage(Path archive, String digest) {}

  /** Turns the configured base into a cached archive with the health check. */
  private BaseImage base(ImagePlan plan) throws IOException, InterruptedException, BuildFailure {
    Path bases = plan.cache().resolve("bases");
    if (plan.base().startsWith(ImagePlan.TAR_PREFIX)) {
      Path archive = Path.of(plan.base().substring(ImagePlan.TAR_PREFIX.length()));
      if (!Files.isRegularFile(archive)) {
        throw new BuildFailure("the base archive " + archive + " does not exist", null);
      }
      return new BaseImage(HealthcheckBase.derive(archive, bases, plan.healthStartPeriod()), HealthcheckBase.configDigest(archive));
    }
    // A registry base is first copied to an archive (jib caches its layers), then given the health check.
    Files.createDirectories(bases);
    Path copy = bases.resolve("copy-" + plan.base().replaceAll("[^A-Za-z0-9._-]", "_") + ".tar");
    List<String> digests = new ArrayList<>();
    try {
      ImageReference reference = ImageReference.parse(plan.base());
      RegistryImage from = RegistryImage.named(reference);
      credentials.apply(reference).forEach(from::addCredentialRetriever);
      Containerizer to = configured(Containerizer.to(TarImage.at(copy).named("cvat-function-base")), plan)
          .addEventHandler(LogEvent.class, event -> {
            Matcher m = BASE_DIGEST.matcher(event.getMessage());
            if (m.find()) {
              digests.add(m.group(1));
            }
            log.accept(event);
          });
      Jib.from(from).setCreationTime(Instant.EPOCH).containerize(to);
    } catch (InvalidImageReferenceException e) {
      throw new BuildFailure("cvat.image.base '" + plan.base() + "' is not an image reference", e);
    } catch (ExecutionException e) {
      throw new BuildFailure("cannot fetch the base image " + plan.base() + ": " + describe(e.getCause()), e.getCause());
    } catch (com.google.cloud.tools.jib.api.RegistryException
        | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
      throw new BuildFailure("cannot fetch the base image " + plan.base() + ": " + describe(e), e);
    }
    String digest = digests.isEmpty() ? HealthcheckBase.configDigest(copy) : digests.get(0);
    Path derived = HealthcheckBase.derive(copy, bases, plan.healthStartPeriod());
    return new BaseImage(derived, digest);
  }

  private Containerizer containerizer(ImagePlan plan) throws InvalidImageReferenceException, BuildFailure {
    ImageReference reference = ImageReference.parse(plan.imageName());
    Containerizer containerizer = switch (plan.target()) {
      case REGISTRY -> {
        if (plan.offline()) {
          throw new BuildFailure("cannot push to a registry offline (mvn -o): use -Dcvat.image.target=tar or docker", null);
        }
        RegistryImage to = RegistryImage.named(reference);
        credentials.apply(reference).forEach(to::addCredentialRetriever);
        yield Containerizer.to(to);
      }
      case DOCKER -> Containerizer.to(DockerDaemonImage.named(reference)
          .setDockerExecutable(Path.of(plan.dockerExecutable())));
      case TAR -> Containerizer.to(TarImage.at(plan.tarFile()).named(reference));
    };
    ProgressLog progress = new ProgressLog(log);
    return configured(containerizer, plan)
        .addEventHandler(LogEvent.class, event -> {
          // The derived base is ours and cached by the real base's identity; jib cannot know that.
          if (!event.getMessage().contains("'cvat-function-base' does not use a specific image digest")) {
            log.accept(event);
          }
        })
        .addEventHandler(ProgressEvent.class, progress::accept);
  }

  /** What both containerizations share: the registries' security, offline mode and the caches outside target/. */
  private static Containerizer configured(Containerizer containerizer, ImagePlan plan) {
    return containerizer
        .setAllowInsecureRegistries(plan.insecure())
        .setOfflineMode(plan.offline())
        .setBaseImageLayersCache(plan.cache().resolve("jib-base"))
        .setApplicationLayersCache(plan.cache().resolve("jib-app"))
        .setToolName("cvat-function-maven-plugin");
  }

  static List<String> entrypoint(ImagePlan plan) throws IOException {
    Map<String, String> properties = new LinkedHashMap<>();
    if (ImageLayers.hasJavacppLibraries(plan)) {
      // JavaCPP loads its libraries from their layer, where it would extract them from their jars at every start;
      // searched first, before the system folders its presets name (a base image's own libgomp, say).
      properties.put("org.bytedeco.javacpp.pathsFirst", "true");
      properties.put("org.bytedeco.javacpp.platform.linkpath", ImageLayers.JAVACPP.toString());
    }
    return ServerMain.command("java", plan.jvmFlags(), properties, ImageLayers.CLASSPATH);
  }

  static Map<String, String> environment(ImagePlan plan) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CVAT_HANDLER", plan.handlerClass());
    plan.modelFile().ifPresent(f -> env.put("CVAT_MODEL", ImageLayers.MODEL_DIR.resolve(f.getFileName().toString()).toString()));
    // DJL: use the pre-extracted libtorch as it is (no GPU sniffing through JNA, no download, nothing written).
    env.put("PYTORCH_LIBRARY_PATH", ImageLayers.LIBTORCH.toString());
    env.put("PYTORCH_FLAVOR", plan.flavor());
    env.put("PYTORCH_VERSION", plan.pytorchVersion());
    env.put("DJL_OFFLINE", "true");
    env.put("DJL_CACHE_DIR", "/tmp/djl");
    env.put("ENGINE_CACHE_DIR", "/tmp/djl");
    env.put("CVAT_OPENCV_LIBRARY", ImageLayers.OPENCV.resolve(opencvLibrary(plan.natives())).toString());
    if (Files.exists(plan.natives().resolve("libtorch").resolve(NativeLibraries.NVJPEG))) {
      // The runtime's GPU decoder loads this file as it is, whatever the library search rules.
      env.put("CVAT_NVJPEG_LIBRARY", ImageLayers.LIBTORCH.resolve(NativeLibraries.NVJPEG).toString());
    }
    env.put("NVIDIA_VISIBLE_DEVICES", "all");
    env.put("NVIDIA_DRIVER_CAPABILITIES", "compute,utility");
    env.put("CUDA_MODULE_LOADING", "LAZY");
    // OpenCV's own log lines go to stderr, beside the server's JSON lines, which already say why a frame failed.
    env.put("OPENCV_LOG_LEVEL", "SILENT");
    return env;
  }

  private static String opencvLibrary(Path natives) throws IOException {
    try (Stream<Path> files = Files.list(natives.resolve("opencv"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("libopencv_java")).findFirst()
          .orElseThrow(() -> new IOException("no OpenCV JNI library in " + natives.resolve("opencv")));
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Logs push and build progress in 10 % steps. */
  private static final class ProgressLog {
    private final Consumer<LogEvent> log;
    private double done;
    private int lastStep = -1;

    ProgressLog(Consumer<LogEvent> log) {
      this.log = log;
    }

    synchronized void accept(ProgressEvent event) {
      done += event.getAllocation().getFractionOfRoot() * event.getUnits();
      int step = (int) Math.floor(Math.min(1, done) * 10);
      if (step > lastStep) {
        lastStep = step;
        log.accept(LogEvent.lifecycle("  image build " + step * 10 + "%"));
      }
    }
  }
}
