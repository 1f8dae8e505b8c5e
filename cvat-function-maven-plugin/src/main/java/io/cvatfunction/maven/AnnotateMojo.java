package io.cvatfunction.maven;

import io.cvatfunction.contract.ModelReference;
import io.cvatfunction.maven.annotate.AnnotateCredentials;
import io.cvatfunction.maven.annotate.AnnotateLaunch;
import io.cvatfunction.maven.annotate.AnnotateProcess;
import io.cvatfunction.maven.scan.FunctionScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Annotates every frame of a CVAT task with the project's function, on this machine (its GPU when it has one), without
 * Nuclio: the function runs in a JVM of its own with the project's runtime classpath (the same runtime, model and
 * settings as the function server), reads the task's frames over CVAT's REST API and uploads the shapes chunk by
 * chunk. An interrupted run resumes from {@code target/cvat/annotate-<task>.resume} when run again.
 */
@Mojo(name = "annotate", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.PROCESS_CLASSES)
public class AnnotateMojo extends CvatMojo {

  @Component
  private SettingsDecrypter decrypter;

  /** CVAT's address, e.g. {@code https://cvat.example.com}; its host names the settings.xml server. */
  @Parameter(property = "cvat.annotate.url")
  private String url;

  /** The task's id: the number in its CVAT URL. */
  @Parameter(property = "cvat.annotate.task", defaultValue = "0")
  private int task;

  /** Frames to annotate, e.g. {@code 0-99} or {@code 0-99,200-299}; every frame when unset. */
  @Parameter(property = "cvat.annotate.frames")
  private String frames;

  /** The confidence threshold in [0, 1]; the function's default (0.5) when unset. */
  @Parameter(property = "cvat.annotate.threshold")
  private Float threshold;

  /** Removes the task's annotations before uploading (once: a resumed run does not clear again). */
  @Parameter(property = "cvat.annotate.clearExisting", defaultValue = "false")
  private boolean clearExisting;

  /** Drops the function's labels, sublabels and attributes the task lacks instead of failing. */
  @Parameter(property = "cvat.annotate.allowUnmatchedLabels", defaultValue = "false")
  private boolean allowUnmatchedLabels;

  /** Uploads masks as polygons (for tasks labelled with polygons). */
  @Parameter(property = "cvat.annotate.convMaskToPoly", defaultValue = "false")
  private boolean convMaskToPoly;

  /** The organization's short name (slug), when the task belongs to one. */
  @Parameter(property = "cvat.annotate.org")
  private String org;

  /** {@code auto} (a GPU when one is visible), {@code cpu}, {@code gpu} or {@code gpu:N}. */
  @Parameter(property = "cvat.annotate.device", defaultValue = "auto")
  private String device;

  /** Writes CVAT's JSON to {@code target/cvat/annotations-<task>.json} and uploads nothing. */
  @Parameter(property = "cvat.annotate.dryRun", defaultValue = "false")
  private boolean dryRun;

  /** The function to run when the project has several: its class or function name. */
  @Parameter(property = "cvat.annotate.handler")
  private String handler;

  /** A model file to run instead of the annotation's (a path relative to the project, or {@code classpath:...}). */
  @Parameter(property = "cvat.model")
  private String model;

  /** Extra JVM arguments for the annotating JVM. */
  @Parameter(property = "cvat.annotate.jvmArgs")
  private List<String> jvmArgs;

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    AnnotateLaunch launch = new AnnotateLaunch(url, task, frames, threshold, clearExisting, allowUnmatchedLabels,
        convMaskToPoly, org, device, dryRun);
    Path target = Path.of(mavenProject.getBuild().getDirectory());
    List<String> command;
    Map<String, String> credentials;
    try {
      String handlerClass = FunctionScanner.find(Path.of(mavenProject.getBuild().getOutputDirectory()),
          RuntimeJar.of(mavenProject), handler, "cvat.annotate.handler").className();
      command = launch.command(Path.of(System.getProperty("java.home"), "bin", "java"),
          jvmArgs == null ? List.of() : jvmArgs, mavenProject.getRuntimeClasspathElements(), handlerClass, model(),
          target);
      credentials = AnnotateCredentials.resolve(launch.uri(), session.getSettings(), decrypter, System.getenv(),
          getLog()::warn);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("the runtime classpath is not resolved", e);
    }
    int status;
    try {
      status = AnnotateProcess.run(command, credentials, new AnnotateProcess.Log() {
        @Override
        public void info(String line) {
          getLog().info(line);
        }

        @Override
        public void warn(String line) {
          getLog().warn(line);
        }

        @Override
        public void error(String line) {
          getLog().error(line);
        }
      });
    } catch (IOException e) {
      throw new MojoExecutionException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("interrupted");
    }
    if (status != 0) {
      throw new MojoFailureException("cvat:annotate " + (status == 1 ? "stopped part way" : "could not start")
          + " (exit status " + status + "); the reason is in the log above");
    }
  }

  private Optional<String> model() {
    if (model == null || model.isBlank() || ModelReference.resource(model).isPresent()) {
      return Optional.ofNullable(model).filter(m -> !m.isBlank());
    }
    Path file = mavenProject.getBasedir().toPath().resolve(model).normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("cvat.model " + file + " does not exist; give a TorchScript file exported by "
          + "Ultralytics (yolo export model=best.pt format=torchscript)");
    }
    return Optional.of(file.toString());
  }
}
