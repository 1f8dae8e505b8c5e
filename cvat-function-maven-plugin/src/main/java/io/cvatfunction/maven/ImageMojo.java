package io.cvatfunction.maven;

import com.google.cloud.tools.jib.api.LogEvent;
import io.cvatfunction.maven.image.ImageBuilder;
import io.cvatfunction.maven.image.ImagePlan;
import io.cvatfunction.maven.image.ImagePlanner;
import io.cvatfunction.maven.image.ImageReport;
import io.cvatfunction.maven.image.JibLog;
import io.cvatfunction.maven.image.RegistryCredentials;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.settings.crypto.SettingsDecrypter;
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

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    List<ImagePlanner.Jar> jars = mavenProject.getArtifacts().stream()
        .filter(a -> a.getFile() != null && a.getArtifactHandler().isAddedToClasspath())
        .map(a -> new ImagePlanner.Jar(a.getGroupId(), a.getArtifactId(), a.getVersion(), a.getFile().toPath(),
            a.isSnapshot()))
        .toList();
    ImagePlanner.Project build = new ImagePlanner.Project(Path.of(mavenProject.getBuild().getOutputDirectory()),
        mavenProject.getBasedir().toPath(), RuntimeJar.of(mavenProject), jars);
    ImagePlanner.Parameters parameters = new ImagePlanner.Parameters(target, name, base, flavor, insecure,
        dockerExecutable, tarFile.toPath(), jvmFlags, handler, healthStartPeriod, cacheDirectory.toPath(),
        session.isOffline());
    Consumer<LogEvent> log = JibLog.of(getLog()::error, getLog()::warn, getLog()::info, getLog()::debug);
    try {
      ImagePlan plan = new ImagePlanner(this::resolve, getLog()::info).plan(parameters, build);
      RegistryCredentials credentials = new RegistryCredentials(session.getSettings(), decrypter, log);
      ImageReport built = ImageReport.of(plan, new ImageBuilder(credentials, log).build(plan));
      try {
        built.write(report.toPath());
      } catch (IOException e) {
        throw new MojoExecutionException("the image is built, but its report cannot be written to " + report + ": "
            + e, e);
      }
      getLog().info("Image " + built.reference() + " (" + built.flavor() + ", " + built.target() + ") recorded in "
          + report);
    } catch (ImageBuilder.BuildFailure e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("the image build failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("interrupted", e);
    }
  }

  private Path resolve(String coordinates) throws IOException {
    ArtifactRequest request = new ArtifactRequest(new DefaultArtifact(coordinates), mavenProject.getRemoteProjectRepositories(), null);
    try {
      return repositorySystem.resolveArtifact(session.getRepositorySession(), request).getArtifact().getFile().toPath();
    } catch (ArtifactResolutionException e) {
      throw new IOException("cannot resolve " + coordinates + (session.isOffline()
          ? " offline: run once online so it is in the local repository" : ": " + e.getMessage()), e);
    }
  }
}
