package io.cvatfunction.maven;

import io.cvatfunction.maven.run.FunctionProcess;
import io.cvatfunction.maven.run.RunRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Serves the project's CVAT function on this machine, without Docker or Nuclio: the same server the image
 * runs, on {@code http://localhost:8080}, until interrupted. Point CVAT or {@code curl} at it.
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.PROCESS_CLASSES)
public class RunMojo extends CvatMojo {

  /** The HTTP trigger's port. */
  @Parameter(property = "cvat.run.port", defaultValue = "8080")
  private int port;

  /** The health port ({@code /ready}, {@code /live}). */
  @Parameter(property = "cvat.run.healthPort", defaultValue = "8082")
  private int healthPort;

  /** {@code auto} (a GPU when one is visible), {@code cpu}, {@code gpu} or {@code gpu:N}. */
  @Parameter(property = "cvat.run.device", defaultValue = "auto")
  private String device;

  /** A model file to serve instead of the annotation's (a path relative to the project, or {@code classpath:...}). */
  @Parameter(property = "cvat.model")
  private String model;

  /** The function to serve when the project has several: its class or function name. */
  @Parameter(property = "cvat.run.handler")
  private String handler;

  /** Extra JVM arguments for the function's JVM. */
  @Parameter(property = "cvat.run.jvmArgs")
  private List<String> jvmArgs;

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    FunctionProcess.Options options;
    try {
      options = new RunRequest(port, healthPort, device, model, handler, jvmArgs).options(
          Path.of(System.getProperty("java.home"), "bin", "java"), mavenProject.getRuntimeClasspathElements(),
          Path.of(mavenProject.getBuild().getOutputDirectory()), RuntimeJar.of(mavenProject), mavenProject.getBasedir().toPath());
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("the runtime classpath is not resolved", e);
    }
    try (FunctionProcess server = FunctionProcess.start(options)) {
      int status = server.serve(getLog()::info);
      if (status != 0) {
        throw new MojoFailureException("the function server exited with status " + status + "; see its log above");
      }
    } catch (IOException e) {
      throw new MojoExecutionException("cannot start " + options.javaExecutable() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
