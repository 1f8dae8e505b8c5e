package io.cvatfunction.maven.nuclio;

import java.util.Locale;

/**
 * What to do about the failures users hit most, recognised in nuctl's or Nuclio's message.
 *
 * @param readinessTimeoutSeconds {@code cvat.deploy.readinessTimeout}
 * @param namespace the Nuclio namespace, for the container's name in {@code docker logs}
 * @param network {@code cvat.deploy.network}, or null
 */
public record NuctlHints(int readinessTimeoutSeconds, String namespace, String network) {

  /**
   * The hint for a failure.
   *
   * @param output nuctl's output or the function's {@code status.message}
   * @return what to do, or null when the failure is not a known one
   */
  public String forOutput(String output) {
    String text = output.toLowerCase(Locale.ROOT);
    if (text.contains("could not select device driver") || text.contains("nvidia-container-cli")) {
      return "Docker cannot give the container a GPU: install the NVIDIA Container Toolkit on the host, or deploy "
          + "without a GPU with -Dcvat.deploy.gpu=false";
    }
    if (text.contains("wasn't ready in time")) {
      return "the function did not report ready within cvat.deploy.readinessTimeout (" + readinessTimeoutSeconds
          + " s): the model may still be loading; raise it, and see docker logs nuclio-" + namespace + "-<name>";
    }
    if (text.contains("network") && text.contains("not found")) {
      return "Docker network " + network + " does not exist: start CVAT with "
          + "components/serverless/docker-compose.serverless.yml, or name CVAT's network with -Dcvat.deploy.network";
    }
    if (text.contains("being provisioned")) {
      return "a previous deploy was left unfinished: rerun with -Dcvat.deploy.force=true to delete it first";
    }
    if (text.contains("cannot connect to the docker daemon") || text.contains("docker.sock")) {
      return "nuctl's local platform needs Docker: start the Docker daemon, or use -Dcvat.deploy.platform=kube";
    }
    return null;
  }

  /** A hint as the last line of a message: empty when there is none. */
  public static String suffix(String hint) {
    return hint == null ? "" : "\n  " + hint;
  }
}
