package io.cvatfunction.maven.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.maven.nuclio.NuclioException;
import io.cvatfunction.maven.nuclio.NuclioNames;
import io.cvatfunction.maven.nuclio.NuclioPlatform;
import io.cvatfunction.maven.nuclio.Nuctl;
import io.cvatfunction.maven.nuclio.NuctlHints;
import java.time.Duration;
import java.util.Map;

/**
 * How to deploy.
 *
 * @param platform {@code local} or {@code kube}
 * @param namespace the Nuclio namespace CVAT looks in, as {@link NuclioPlatform#namespace} resolves it
 * @param project the Nuclio project ({@code cvat}: CVAT lists only its functions)
 * @param network the Docker network of CVAT and the dashboard (local platform), or null for Docker's default
 * @param registry {@code --registry} (kube), or null
 * @param runRegistry {@code --run-registry} (kube), or null
 * @param readinessTimeoutSeconds how long Nuclio waits for the function to become ready ({@code --readiness-timeout})
 * @param waitTimeout how long the deploy may take in all, from the start of {@code nuctl deploy} until {@code ready}
 * @param pollInterval how often to ask nuctl for the function's state while waiting
 * @param force delete a function left in {@code building}, {@code error} or {@code unhealthy} before deploying
 * @param dryRun print the commands instead of running them
 * @param dashboardVersion the Nuclio dashboard's version, to check nuctl against, or null
 */
public record DeploySettings(String platform, String namespace, String project, String network, String registry,
    String runRegistry, int readinessTimeoutSeconds, Duration waitTimeout, Duration pollInterval, boolean force,
    boolean dryRun, String dashboardVersion) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Checks every setting, naming the parameter that is wrong.
   *
   * @throws NuclioException on the first bad setting
   */
  public void validate(DeployLog log) throws NuclioException {
    require(NuclioPlatform.isPlatform(platform), NuclioPlatform.notAPlatform(platform));
    require(NuclioNames.isDnsLabel(project),
        "cvat.deploy.project must be a Nuclio project name ([a-z0-9-]), got '" + project + "'");
    require(network == null || network.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*"),
        "cvat.deploy.network must be a Docker network name, got '" + network + "'");
    require(readinessTimeoutSeconds > 0,
        "cvat.deploy.readinessTimeout must be a positive number of seconds, got " + readinessTimeoutSeconds);
    require(waitTimeout.toSeconds() >= readinessTimeoutSeconds,
        "cvat.deploy.waitTimeout (" + waitTimeout.toSeconds() + " s) must be at least cvat.deploy.readinessTimeout ("
            + readinessTimeoutSeconds + " s): otherwise nuctl is stopped before Nuclio gives up waiting for the "
            + "function; raise cvat.deploy.waitTimeout");
    if (!project.equals("cvat")) {
      log.warn("cvat.deploy.project is '" + project + "': CVAT lists only the functions of project cvat");
    }
    if (platform.equals("local") && (registry != null || runRegistry != null)) {
      log.warn("cvat.deploy.registry and cvat.deploy.runRegistry are ignored on the local platform (Nuclio clears "
          + "them); Docker pulls the image by its own name");
    }
    if (platform.equals("kube") && network != null && !network.equals("cvat_cvat")) {
      log.warn("cvat.deploy.network is ignored on the kube platform");
    }
  }

  /**
   * The arguments of {@code nuctl deploy} for {@code function}: {@code --platform-config} with the network on local,
   * the registries on kube only (Nuclio clears them on local).
   *
   * @param runImage the image reference nuctl gets
   */
  Nuctl.DeployArgs deployArgs(FunctionConfig function, String runImage) {
    boolean kube = platform().equals("kube");
    String platformConfig = null;
    if (!kube && network() != null) {
      try {
        platformConfig = JSON.writeValueAsString(Map.of("attributes", Map.of("network", network())));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a two-level map as JSON", e);
      }
    }
    return new Nuctl.DeployArgs(function.name(), runImage, function.runtime(), function.handler(), function.file(),
        project(), platformConfig, kube ? blankToNull(registry()) : null,
        kube ? blankToNull(runRegistry()) : null, readinessTimeoutSeconds());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The hints for nuctl's failures under these settings. */
  public NuctlHints hints() {
    return new NuctlHints(readinessTimeoutSeconds, namespace, network);
  }

  private static void require(boolean condition, String message) throws NuclioException {
    if (!condition) {
      throw new NuclioException(message);
    }
  }
}
