package io.cvatfunction.maven;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import io.cvatfunction.contract.ImageNames;
import io.cvatfunction.contract.ModelReference;
import io.cvatfunction.maven.image.ImageBuilder;
import io.cvatfunction.maven.image.ImagePlan;
import io.cvatfunction.maven.image.ImageReport;
import io.cvatfunction.maven.image.NativeLibraries;
import io.cvatfunction.maven.scan.FunctionDescriptor;
import io.cvatfunction.maven.scan.FunctionScanner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Builds the function's image with jib-core, without a Docker daemon: the CUDA (or CPU) libtorch (CUDA: with
 * nvJPEG, the runtime's GPU JPEG decoder), OpenCV,
 * the dependencies, the model and the classes in layers of their own, a HEALTHCHECK on {@code /ready}, the
 * function server as entrypoint. Pushes it to a registry (default), loads it into Docker, or writes a tar,
 * and records what it built in {@code target/cvat/image.json} for {@code cvat:deploy}. Run after
 * {@code package} (or at least {@code process-classes}): {@code mvn package cvat:image}.
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class ImageMojo extends CvatMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  @Component
  private RepositorySystem repositorySystem;

  @Component
  private SettingsDecrypter decrypter;

  /** {@code registry} (push, the default), {@code docker} (load into a daemon) or {@code tar}. */
  @Parameter(property = "cvat.image.target", defaultValue = "registry")
  private String target;

  /** The image reference; for the registry target it must name the registry, e.g. {@code registry.example.com/team/detector}. */
  @Parameter(property = "cvat.image.name", defaultValue = "${project.artifactId}:${project.version}")
  private String name;

  /** The base image: a JRE image with glibc ≥ 2.29 and bash, or {@code tar://} and a {@code docker save} archive. */
  @Parameter(property = "cvat.image.base", defaultValue = "eclipse-temurin:17-jre-jammy")
  private String base;

  /** {@code cu121} (CUDA 12.1 libtorch, for NVIDIA GPUs) or {@code cpu}. */
  @Parameter(property = "cvat.image.flavor", defaultValue = "cu121")
  private String flavor;

  /** Allows registries over plain HTTP or with self-signed certificates. */
  @Parameter(property = "cvat.image.insecure", defaultValue = "false")
  private boolean insecure;

  /** The {@code docker} or {@code podman} executable for the docker target. */
  @Parameter(property = "cvat.image.dockerExecutable", defaultValue = "docker")
  private String dockerExecutable;

  /** The archive the tar target writes. */
  @Parameter(property = "cvat.image.tarFile", defaultValue = "${project.build.directory}/cvat/image.tar")
  private File tarFile;

  /** JVM flags of the function's JVM. */
  @Parameter(property = "cvat.image.jvmFlags")
  private List<String> jvmFlags;

  /** The function to package when the project has several: its class or function name. */
  @Parameter(property = "cvat.image.handler")
  private String handler;

  /**
   * Seconds after the container starts during which failed HEALTHCHECK probes do not count, so Docker shows
   * {@code starting} rather than {@code unhealthy} while the model loads; as long as the deploy's readiness timeout,
   * which covers a large model on a cold GPU.
   */
  @Parameter(property = "cvat.image.healthStartPeriod", defaultValue = "300")
  private int healthStartPeriod;

  /** Extracted natives, derived bases and jib's layer caches; outside {@code target/} so {@code clean} keeps them. */
  @Parameter(property = "cvat.image.cacheDirectory", defaultValue = "${user.home}/.cache/cvat-function")
  private File cacheDirectory;

  /** Where the build report goes. */
  @Parameter(property = "cvat.image.report", defaultValue = "${project.build.directory}/cvat/" + ImageReport.FILE)
  private File report;

  /** Skips this goal. */
  @Parameter(property = "cvat.image.skip", defaultValue = "false")
  private boolean skip;

  @Override
  String goal() {
    return "image";
  }

  @Override
  boolean skipGoal() {
    return skip;
  }

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    ImagePlan plan = plan();
    ImageBuilder builder = new ImageBuilder(this::credentials, this::log);
    try {
      ImageBuilder.Result result = builder.build(plan);
      ImageReference reference = result.reference();
      String registry = reference.getRegistry().equals("registry-1.docker.io") ? "docker.io" : reference.getRegistry();
      String repository = registry + "/" + reference.getRepository();
      new ImageReport(repository, reference.getTag().orElse("latest"), result.digest(),
          repository + "@" + result.digest(), result.imageId(), plan.flavor(), result.baseDigest(),
          plan.target().name().toLowerCase(Locale.ROOT)).write(report.toPath());
      getLog().info("Image " + repository + "@" + result.digest() + " (" + plan.flavor() + ", "
          + plan.target().name().toLowerCase(Locale.ROOT) + ") recorded in " + report);
    } catch (ImageBuilder.BuildFailure e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("the image build failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("interrupted", e);
    }
  }

  private ImagePlan plan() throws MojoFailureException, MojoExecutionException {
    ImagePlan.Target kind = parseTarget();
    if (healthStartPeriod < 0) {
      throw new MojoFailureException("cvat.image.healthStartPeriod must be a number of seconds, 0 or more, got "
          + healthStartPeriod);
    }
    if (!flavor.equals("cu121") && !flavor.equals("cpu")) {
      throw new MojoFailureException("cvat.image.flavor must be cu121 or cpu, got '" + flavor + "'");
    }
    if (kind == ImagePlan.Target.REGISTRY && ImageNames.registryHost(name).isEmpty()) {
      throw new MojoFailureException("cvat.image.name '" + name + "' names no registry: write it as "
          + "registry.example.com[:port]/repository[:tag], or use -Dcvat.image.target=docker or tar");
    }
    try {
      ImageReference.parse(name);
    } catch (InvalidImageReferenceException e) {
      throw new MojoFailureException("cvat.image.name '" + name + "' is not an image reference");
    }
    Path classes = Path.of(project.getBuild().getOutputDirectory());
    if (!Files.isDirectory(classes)) {
      throw new MojoFailureException(classes + " does not exist: run the build first, e.g. mvn package cvat:image");
    }
    FunctionDescriptor function;
    try {
      function = FunctionScanner.pick(FunctionScanner.scan(classes, RuntimeJar.of(project)), handler, classes);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage().replace("cvat.run.handler", "cvat.image.handler"));
    }
    Artifact jni = artifact("ai.djl.pytorch", "pytorch-jni");
    Artifact opencv = artifact("org.openpnp", "opencv");
    String pytorchVersion = jni.getVersion().substring(0, jni.getVersion().indexOf('-'));
    Path libtorch = resolve("ai.djl.pytorch:pytorch-native-" + flavor + ":jar:linux-x86_64:" + pytorchVersion);
    Path natives;
    try {
      // nvJPEG, the runtime's GPU JPEG decoder, only where there is a GPU.
      Optional<Path> nvjpeg = flavor.equals("cu121")
          ? Optional.of(resolve(NativeLibraries.nvjpegArtifact())) : Optional.empty();
      natives = NativeLibraries.extract(new NativeLibraries.Sources(flavor, libtorch, jni.getFile().toPath(),
          opencv.getFile().toPath(), nvjpeg), cacheDirectory.toPath().resolve("natives"), getLog()::info);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot extract the native libraries: " + e.getMessage(), e);
    }
    List<Path> releases = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    for (Artifact artifact : project.getArtifacts()) {
      boolean nativeJar = artifact.getGroupId().equals("ai.djl.pytorch")
          && (artifact.getArtifactId().startsWith("pytorch-native-") || artifact.getArtifactId().equals("pytorch-jni"));
      if (nativeJar || artifact.getFile() == null || !artifact.getArtifactHandler().isAddedToClasspath()) {
        continue; // the natives layer replaces them
      }
      (artifact.isSnapshot() ? snapshots : releases).add(artifact.getFile().toPath());
    }
    Optional<String> modelResource = ModelReference.resource(function.model());
    Optional<Path> modelFile = Optional.empty();
    if (modelResource.isPresent()) {
      if (!Files.isRegularFile(classes.resolve(modelResource.get()))) {
        throw new MojoFailureException("the model " + function.model() + " is not in " + classes + ": put it under "
            + "src/main/resources/" + modelResource.get() + " (yolo export model=best.pt format=torchscript)");
      }
    } else if (!function.model().isBlank()) {
      modelFile = Optional.of(project.getBasedir().toPath().resolve(function.model()));
      if (!Files.isRegularFile(modelFile.get())) {
        throw new MojoFailureException("the model file " + modelFile.get() + " does not exist: fix @CvatFunction(model)");
      }
    }
    return new ImagePlan(function.name(), function.className(), base, kind, name, tarFile.toPath(), dockerExecutable,
        flavor, pytorchVersion, natives, releases, snapshots, classes, modelResource, modelFile,
        jvmFlags == null ? List.of() : jvmFlags, insecure, session.isOffline(), cacheDirectory.toPath(),
        Duration.ofSeconds(healthStartPeriod));
  }

  private ImagePlan.Target parseTarget() throws MojoFailureException {
    try {
      return ImagePlan.Target.valueOf(target.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("cvat.image.target must be registry, docker or tar, got '" + target + "'");
    }
  }

  private Artifact artifact(String groupId, String artifactId) throws MojoFailureException {
    return project.getArtifacts().stream()
        .filter(a -> a.getGroupId().equals(groupId) && a.getArtifactId().equals(artifactId) && a.getFile() != null)
        .findFirst()
        .orElseThrow(() -> new MojoFailureException(groupId + ":" + artifactId + " is not on the runtime classpath; "
            + "it comes with io.cvatfunction:cvat-function-runtime"));
  }

  private Path resolve(String coordinates) throws MojoExecutionException {
    ArtifactRequest request = new ArtifactRequest(new DefaultArtifact(coordinates), project.getRemoteProjectRepositories(), null);
    try {
      return repositorySystem.resolveArtifact(session.getRepositorySession(), request).getArtifact().getFile().toPath();
    } catch (ArtifactResolutionException e) {
      throw new MojoExecutionException("cannot resolve " + coordinates + (session.isOffline()
          ? " offline: run once online so it is in the local repository" : ": " + e.getMessage()), e);
    }
  }

  /** Settings.xml server credentials (server id = registry host), then Docker's config and credential helpers. */
  private List<CredentialRetriever> credentials(ImageReference image) {
    List<CredentialRetriever> retrievers = new ArrayList<>();
    Server server = session.getSettings().getServer(image.getRegistry());
    if (server != null) {
      SettingsDecryptionResult decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      for (SettingsProblem problem : decrypted.getProblems()) {
        getLog().warn("settings.xml server " + server.getId() + ": " + problem.getMessage());
      }
      Server plain = decrypted.getServer();
      if (plain != null && plain.getUsername() != null && plain.getPassword() != null) {
        Credential credential = Credential.from(plain.getUsername(), plain.getPassword());
        retrievers.add(() -> Optional.of(credential));
      }
    }
    CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(image, this::log);
    retrievers.add(factory.dockerConfig());
    retrievers.add(factory.wellKnownCredentialHelpers());
    return retrievers;
  }

  private void log(LogEvent event) {
    switch (event.getLevel()) {
      case ERROR -> getLog().error(event.getMessage());
      case WARN -> getLog().warn(event.getMessage());
      case LIFECYCLE -> getLog().info(event.getMessage());
      default -> getLog().debug(event.getMessage());
    }
  }
}
