package io.cvatfunction.maven;

import io.cvatfunction.contract.ModelReference;
import io.cvatfunction.maven.run.FunctionProcess;
import io.cvatfunction.maven.scan.FunctionDescriptor;
import io.cvatfunction.maven.scan.FunctionScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Serves the project's CVAT function on this machine, without Docker or Nuclio: the same server the image
 * runs, on {@code http://localhost:8080}, until interrupted. Point CVAT or {@code curl} at it.
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.PROCESS_CLASSES)
public class RunMojo extends CvatMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

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

  /** Skips this goal. */
  @Parameter(property = "cvat.run.skip", defaultValue = "false")
  private boolean skip;

  @Override
  String goal() {
    return "run";
  }

  @Override
  boolean skipGoal() {
    return skip;
  }

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    FunctionProcess.Options options = options();
    FunctionProcess server;
    try {
      server = FunctionProcess.start(options);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot start " + options.javaExecutable() + ": " + e.getMessage(), e);
    }
    Thread stopper = new Thread(() -> {
      try {
        server.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "cvat-run-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      String url = "http://localhost:" + port;
      getLog().info("Serving " + options.handlerClass() + " on " + url + " (health: http://localhost:" + healthPort
          + "/ready); loading the model...");
      if (server.awaitReady(Duration.ofMinutes(5))) {
        getLog().info("Ready. Try it:");
        getLog().info("  mvn cvat:invoke -Dcvat.invoke.url=" + url + " -Dcvat.invoke.image=frame.jpg");
        getLog().info("  or: (printf '{\"image\": \"'; base64 -w0 frame.jpg; printf '\"}') | curl -s -X POST " + url
            + " -H 'Content-Type: application/json' --data-binary @-");
        getLog().info("Press Ctrl+C to stop.");
      }
      int status = server.waitFor();
      if (status != 0) {
        throw new MojoFailureException("the function server exited with status " + status + "; see its log above");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running
      }
    }
  }

  FunctionProcess.Options options() throws MojoFailureException, MojoExecutionException {
    require(port > 0 && port <= 65535, "cvat.run.port must be in 1..65535, got " + port);
    require(healthPort > 0 && healthPort <= 65535, "cvat.run.healthPort must be in 1..65535, got " + healthPort);
    require(port != healthPort, "cvat.run.port and cvat.run.healthPort must differ, both are " + port);
    require(device != null && device.matches("auto|cpu|gpu|gpu:\\d+"),
        "cvat.run.device must be auto, cpu, gpu or gpu:N, got '" + device + "'");
    Path classes = Path.of(project.getBuild().getOutputDirectory());
    FunctionDescriptor function;
    try {
      function = FunctionScanner.pick(FunctionScanner.scan(classes, RuntimeJar.of(project)), handler, classes);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage());
    }
    List<String> classpath;
    try {
      classpath = project.getRuntimeClasspathElements();
    } catch (org.apache.maven.artifact.DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("the runtime classpath is not resolved", e);
    }
    return new FunctionProcess.Options(
        Path.of(System.getProperty("java.home"), "bin", "java"), classpath, function.className(),
        port, healthPort, device, resolveModel(), jvmArgs == null ? List.of() : jvmArgs);
  }

  private Optional<String> resolveModel() throws MojoFailureException {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    if (ModelReference.resource(model).isPresent()) {
      return Optional.of(model);
    }
    Path file = project.getBasedir().toPath().resolve(model).normalize();
    require(Files.isRegularFile(file), "cvat.model " + file + " does not exist; give a TorchScript file exported "
        + "by Ultralytics (yolo export model=best.pt format=torchscript)");
    return Optional.of(file.toString());
  }

  private static void require(boolean condition, String message) throws MojoFailureException {
    if (!condition) {
      throw new MojoFailureException(message);
    }
  }
}
