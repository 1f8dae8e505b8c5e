package io.cvatfunction.maven;

import io.cvatfunction.maven.deploy.DeployException;
import io.cvatfunction.maven.deploy.DeployLog;
import io.cvatfunction.maven.deploy.Deployer;
import io.cvatfunction.maven.deploy.FunctionConfig;
import io.cvatfunction.maven.deploy.Nuctl;
import io.cvatfunction.maven.deploy.Redactor;
import io.cvatfunction.maven.invoke.BoxPainter;
import io.cvatfunction.maven.invoke.DeployedFunctionUrl;
import io.cvatfunction.maven.invoke.FrameInvoker;
import io.cvatfunction.maven.invoke.InvokeException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Sends one frame to a function, as CVAT would, prints the shapes it found as a table and writes
 * {@code target/cvat/invoke.png}: the frame with the boxes and labels drawn on it. The function is the one
 * {@code cvat:deploy} deployed (its URL from nuctl), or any URL given with {@code -Dcvat.invoke.url}, e.g. what
 * {@code cvat:run} serves; with a URL no project is needed.
 */
@Mojo(name = "invoke", requiresProject = false, threadSafe = true)
public class InvokeMojo extends CvatMojo {

  @Parameter(defaultValue = "${project}", readonly = true)
  private MavenProject project;

  /** The frame to send: a JPEG or PNG file. */
  @Parameter(property = "cvat.invoke.image")
  private File image;

  /** The function's URL; when unset, the deployed function's, from {@code nuctl get function}. */
  @Parameter(property = "cvat.invoke.url")
  private String url;

  /** The confidence threshold sent with the frame, in [0, 1]. */
  @Parameter(property = "cvat.invoke.threshold", defaultValue = "0.5")
  private String threshold;

  /** Where the frame with the shapes drawn on it goes; by default {@code target/cvat/invoke.png}. */
  @Parameter(property = "cvat.invoke.output")
  private File output;

  /** Seconds to wait for the answer. */
  @Parameter(property = "cvat.invoke.timeout", defaultValue = "120")
  private int timeout;

  /** The deployed function to invoke when no URL is given; by default the project's (from cvat:spec's YAML). */
  @Parameter(property = "cvat.invoke.function")
  private String function;

  /** As for cvat:deploy: where cvat:spec wrote the function YAMLs. */
  @Parameter(property = "cvat.deploy.directory", defaultValue = "${project.build.directory}/cvat")
  private File directory;

  /** As for cvat:deploy: the nuctl executable, to find the deployed function's URL. */
  @Parameter(property = "cvat.deploy.nuctl", defaultValue = "nuctl")
  private String nuctl;

  /** As for cvat:deploy: {@code local} or {@code kube}. */
  @Parameter(property = "cvat.deploy.platform", defaultValue = "local")
  private String platform;

  /** As for cvat:deploy: the Nuclio namespace CVAT reads; {@code nuclio} on local when unset, required on kube. */
  @Parameter(property = "cvat.deploy.namespace")
  private String namespace;

  /** Skips this goal. */
  @Parameter(property = "cvat.invoke.skip", defaultValue = "false")
  private boolean skip;

  @Override
  String goal() {
    return "invoke";
  }

  @Override
  boolean skipGoal() {
    return skip;
  }

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    try {
      if (timeout <= 0) {
        throw new InvokeException("cvat.invoke.timeout must be a positive number of seconds, got " + timeout);
      }
      byte[] frame = FrameInvoker.frame(image == null ? null : image.toPath());
      double minConfidence = FrameInvoker.threshold(threshold);
      URI target = FrameInvoker.url(url == null || url.isBlank() ? deployedUrl() : url);
      FrameInvoker.Answer answer = new FrameInvoker(Duration.ofSeconds(timeout)).invoke(target, frame, minConfidence);
      getLog().info(answer.shapes().size() + " shape(s) from " + target + " for " + image.getName() + " (threshold "
          + minConfidence + "), " + answer.latency().toMillis() + " ms:");
      for (String line : io.cvatfunction.maven.invoke.ShapeTable.format(answer.shapes())) {
        getLog().info("  " + line);
      }
      Path png = output != null ? output.toPath() : hasProject()
          ? Path.of(project.getBuild().getDirectory(), "cvat", "invoke.png")
          // without a pom, Maven's stub project has no usable build directory
          : Path.of("target", "cvat", "invoke.png").toAbsolutePath();
      String drawing;
      try {
        BoxPainter.Painted painted = BoxPainter.paint(BoxPainter.decode(frame), answer.shapes());
        BoxPainter.writePng(painted.image(), png);
        if (!painted.tagged()) {
          getLog().warn("this JDK has no fonts (install fontconfig and e.g. fonts-dejavu-core): boxes drawn without "
              + "their labels");
        }
        drawing = "wrote " + png;
      } catch (InvokeException e) {
        getLog().warn(e.getMessage());
        drawing = "no drawing";
      } catch (IOException e) {
        throw new MojoExecutionException("cannot write " + png + ": " + e.getMessage(), e);
      }
      getLog().info("cvat:invoke: " + answer.shapes().size() + " shape(s) in " + answer.latency().toMillis() + " ms; "
          + drawing);
    } catch (InvokeException e) {
      throw new MojoFailureException(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("cvat:invoke was interrupted", e);
    }
  }

  private String deployedUrl() throws InvokeException, InterruptedException {
    String name = function;
    if (name == null || name.isBlank()) {
      if (!hasProject()) {
        throw new InvokeException("no cvat.invoke.url and no project to find the deployed function in: give "
            + "-Dcvat.invoke.url=http://HOST:PORT, or -Dcvat.invoke.function=NAME to ask nuctl");
      }
      List<FunctionConfig> functions;
      try {
        functions = FunctionConfig.locate(directory.toPath(), true, null, quiet());
      } catch (DeployException e) {
        throw new InvokeException(e.getMessage() + "; or give -Dcvat.invoke.url=http://HOST:PORT");
      }
      if (functions.size() > 1) {
        throw new InvokeException("this project has several functions ("
            + String.join(", ", functions.stream().map(FunctionConfig::name).toList())
            + "): name one with -Dcvat.invoke.function=NAME");
      }
      name = functions.get(0).name();
    }
    if (platform == null || !platform.matches("local|kube")) {
      throw new InvokeException("cvat.deploy.platform must be local or kube, got '" + platform + "'");
    }
    String ns;
    try {
      ns = Deployer.Settings.namespace(platform, namespace);
    } catch (DeployException e) {
      throw new InvokeException(e.getMessage());
    }
    Path executable;
    try {
      executable = Nuctl.resolve(nuctl, System.getenv("PATH"));
    } catch (DeployException e) {
      throw new InvokeException(e.getMessage() + "; or give the URL with -Dcvat.invoke.url=http://HOST:PORT");
    }
    Nuctl tool = Deployer.nuctlFor(executable.toString(), platform, ns, new Redactor());
    String found = DeployedFunctionUrl.find(tool, name);
    getLog().info("Function " + name + " (" + platform + " platform) answers at " + found);
    return found;
  }

  private boolean hasProject() {
    return project != null && project.getFile() != null;
  }

  private DeployLog quiet() {
    return new DeployLog() {
      @Override
      public void info(String message) {
        getLog().debug(message);
      }

      @Override
      public void warn(String message) {
        getLog().debug(message);
      }
    };
  }
}
