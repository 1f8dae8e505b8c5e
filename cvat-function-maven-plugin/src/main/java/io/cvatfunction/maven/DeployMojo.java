package io.cvatfunction.maven;

import io.cvatfunction.maven.deploy.DeployLog;
import io.cvatfunction.maven.deploy.DeploySettings;
import io.cvatfunction.maven.deploy.Deployer;
import io.cvatfunction.maven.deploy.FunctionConfig;
import io.cvatfunction.maven.deploy.ImageRecord;
import io.cvatfunction.maven.image.ImageReport;
import io.cvatfunction.maven.nuclio.NuclioException;
import io.cvatfunction.maven.nuclio.NuclioPlatform;
import io.cvatfunction.maven.nuclio.Nuctl;
import io.cvatfunction.maven.nuclio.Redactor;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deploys the image {@code cvat:image} recorded in {@code target/cvat/image.json}, by digest, with the config
 * {@code cvat:spec} wrote ({@code function-gpu.yaml}), through {@code nuctl deploy --run-image}: no Nuclio
 * build. Creates the Nuclio project when it is missing, waits until the function is {@code ready} and prints
 * its URL. Made for CI: no prompts, a failing step fails the build with nuctl's own message, one summary line.
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class DeployMojo extends NuclioMojo {

  /** The Nuclio project; CVAT lists only the functions of project {@code cvat}. */
  @Parameter(property = "cvat.deploy.project", defaultValue = "cvat")
  private String project;

  /** The Docker network CVAT and the Nuclio dashboard share (local platform). */
  @Parameter(property = "cvat.deploy.network", defaultValue = "cvat_cvat")
  private String network;

  /** {@code --registry} on kube: the registry the image was pushed to. */
  @Parameter(property = "cvat.deploy.registry")
  private String registry;

  /** {@code --run-registry} on kube: the registry the cluster pulls from, when it differs. */
  @Parameter(property = "cvat.deploy.runRegistry")
  private String runRegistry;

  /** Seconds Nuclio waits for the function to become ready ({@code --readiness-timeout}); covers the model load. */
  @Parameter(property = "cvat.deploy.readinessTimeout", defaultValue = "300")
  private int readinessTimeout;

  /** Seconds the whole deploy may take, image pull included, until the function is {@code ready}. */
  @Parameter(property = "cvat.deploy.waitTimeout", defaultValue = "900")
  private int waitTimeout;

  /** Deploy {@code function-gpu.yaml} (true) or {@code function.yaml} (false, no GPU). */
  @Parameter(property = "cvat.deploy.gpu", defaultValue = "true")
  private boolean gpu;

  /** Delete a function left in {@code building}, {@code error} or {@code unhealthy} by an earlier deploy first. */
  @Parameter(property = "cvat.deploy.force", defaultValue = "false")
  private boolean force;

  /** Print the nuctl commands without running them (needs no nuctl). */
  @Parameter(property = "cvat.deploy.dryRun", defaultValue = "false")
  private boolean dryRun;

  /** The Nuclio dashboard's version (e.g. {@code 1.15.9}); when set, a nuctl of another version fails the deploy. */
  @Parameter(property = "cvat.deploy.dashboardVersion")
  private String dashboardVersion;

  /** In a project with several functions, the one to deploy (its name); all of them when unset. */
  @Parameter(property = "cvat.deploy.function")
  private String function;

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    DeployLog log = deployLog();
    long start = System.nanoTime();
    List<Deployer.Deployed> deployed;
    try {
      DeploySettings settings = new DeploySettings(platform, NuclioPlatform.namespace(platform, namespace),
          project, blankToNull(network), blankToNull(registry), blankToNull(runRegistry), readinessTimeout,
          Duration.ofSeconds(waitTimeout), Duration.ofSeconds(2), force, dryRun, blankToNull(dashboardVersion));
      settings.validate(log);
      ImageRecord image = ImageRecord.read(directory.toPath().resolve(ImageReport.FILE));
      List<FunctionConfig> functions = FunctionConfig.locate(directory.toPath(), gpu, function, log);
      Nuctl tool = Deployer.nuctlFor(nuctl, settings, System.getenv("PATH"), new Redactor());
      deployed = new Deployer(tool, settings, log).deploy(image, functions);
      if (dryRun) {
        getLog().info("cvat:deploy: dry run, " + functions.size() + " function(s), nothing deployed");
        return;
      }
    } catch (NuclioException e) {
      throw new MojoFailureException(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("cvat:deploy was interrupted", e);
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    getLog().info("cvat:deploy: " + deployed.stream()
        .map(d -> d.name() + " " + d.state() + " at " + d.url().orElse("(no URL reported)"))
        .collect(Collectors.joining(", "))
        + " (" + platform + ", project " + project + ", " + deployed.get(0).image() + ") in " + seconds + " s");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
