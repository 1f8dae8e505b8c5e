package io.cvatfunction.maven.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@link ImageBuilder} needs, resolved by the mojo.
 *
 * @param functionName the function id, for labels
 * @param handlerClass the class the server serves
 * @param base a registry reference, or {@code tar://} and a {@code docker save} archive
 * @param target where the image goes
 * @param imageName the image reference to write
 * @param tarFile the archive to write for the tar target
 * @param dockerExecutable {@code docker} or {@code podman}, for the docker target
 * @param flavor {@code cu121} or {@code cpu}
 * @param pytorchVersion the libtorch version, e.g. 2.3.1
 * @param natives the extracted native libraries ({@link NativeLibraries})
 * @param dependencies release jars of the runtime classpath, native jars excluded
 * @param snapshotDependencies snapshot jars of the runtime classpath
 * @param classes the compiled classes and resources
 * @param modelResource the model's path under {@code classes} when it is a classpath resource
 * @param modelFile the model file when it is not a classpath resource
 * @param jvmFlags JVM flags of the entrypoint
 * @param insecure allow plain-HTTP and self-signed registries
 * @param offline build without the network (Maven's {@code -o})
 * @param cache the cache root (derived bases, jib's caches)
 * @param healthStartPeriod the HEALTHCHECK's start period: failed probes do not count while the model loads
 */
public record ImagePlan(
    String functionName,
    String handlerClass,
    String base,
    Target target,
    String imageName,
    Path tarFile,
    String dockerExecutable,
    String flavor,
    String pytorchVersion,
    Path natives,
    List<Path> dependencies,
    List<Path> snapshotDependencies,
    Path classes,
    Optional<String> modelResource,
    Optional<Path> modelFile,
    List<String> jvmFlags,
    boolean insecure,
    boolean offline,
    Path cache,
    Duration healthStartPeriod) {

  /** Where the image goes. */
  public enum Target {
    /** Pushed to a registry, without a Docker daemon. */
    REGISTRY,
    /** Loaded into a Docker (or Podman) daemon. */
    DOCKER,
    /** Written as a {@code docker load}-able archive. */
    TAR
  }

  /** The prefix of a base given as an archive. */
  public static final String TAR_PREFIX = "tar://";
}
