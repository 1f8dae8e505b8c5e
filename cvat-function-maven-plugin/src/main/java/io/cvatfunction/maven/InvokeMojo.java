package io.cvatfunction.maven;

import io.cvatfunction.maven.invoke.DeployedFunctionUrl;
import io.cvatfunction.maven.invoke.FrameInvoker;
import io.cvatfunction.maven.invoke.Invocation;
import io.cvatfunction.maven.invoke.SkeletonEdges;
import io.cvatfunction.maven.nuclio.NuclioException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Sends one frame to a function, as CVAT would, prints the shapes it found as a table and writes
 * {@code target/cvat/invoke.png}: the frame with the shapes and labels drawn on it (skeletons with the edges of the
 * spec {@code cvat:spec} wrote, tags in the top-left corner). The function is the one
 * {@code cvat:deploy} deployed (its URL from nuctl, with the {@code cvat.deploy.*} parameters), or any URL given
 * with {@code -Dcvat.invoke.url}, e.g. what {@code cvat:run} serves; with a URL no project is needed.
 */
@Mojo(name = "invoke", requiresProject = false, threadSafe = true)
public class InvokeMojo extends NuclioMojo {

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

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    Path png = output != null ? output.toPath() : hasProject()
        ? Path.of(mavenProject.getBuild().getDirectory(), "cvat", "invoke.png")
        // without a pom, Maven's stub project has no usable build directory
        : Path.of("target", "cvat", "invoke.png").toAbsolutePath();
    try {
      Invocation invocation = Invocation.prepare(image == null ? null : image.toPath(), threshold, timeout);
      URI target = FrameInvoker.url(url != null && !url.isBlank() ? url : DeployedFunctionUrl.locate(function,
          hasProject() ? directory.toPath() : null, nuctl, platform, namespace, System.getenv("PATH"), deployLog()));
      SkeletonEdges edges = SkeletonEdges.read(hasProject() ? directory.toPath() : null, function, deployLog());
      getLog().info(invocation.send(target, png, edges, deployLog()));
    } catch (NuclioException e) {
      throw new MojoFailureException(e.getMessage());
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write " + png + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("cvat:invoke was interrupted", e);
    }
  }

  private boolean hasProject() {
    return mavenProject != null && mavenProject.getFile() != null;
  }
}
