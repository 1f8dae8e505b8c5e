package io.cvatfunction.maven.invoke;

import io.cvatfunction.maven.deploy.DeployLog;
import io.cvatfunction.maven.nuclio.FunctionStatus;
import io.cvatfunction.maven.nuclio.NuclioException;
import io.cvatfunction.maven.nuclio.NuclioPlatform;
import io.cvatfunction.maven.nuclio.Nuctl;
import io.cvatfunction.maven.nuclio.NuctlProcess;
import io.cvatfunction.maven.nuclio.Redactor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Finds where a deployed function answers, from {@code nuctl get function NAME -o json}: on the local platform
 * {@code http://localhost:<status.httpPort>}, on kube its external invocation URL.
 */
public final class DeployedFunctionUrl {

  private DeployedFunctionUrl() {}

  /** How to reach a function without nuctl. */
  private static final String EXPLICIT = "; or give the URL with -Dcvat.invoke.url=http://HOST:PORT";

  /**
   * Where the deployed function answers, found with the nuctl of {@code cvat.deploy.*}.
   *
   * @param name {@code cvat.invoke.function}; null or blank for the project's only function
   * @param directory where {@code cvat:spec} wrote the function YAMLs; null when there is no project
   * @param executable {@code cvat.deploy.nuctl}
   * @param platform {@code cvat.deploy.platform}
   * @param namespace {@code cvat.deploy.namespace}
   * @param path {@code PATH}, to find nuctl
   * @param log where the found URL is reported; what reading the YAMLs reports goes to debug
   * @throws NuclioException when the function cannot be named or found, saying how to give the URL instead
   */
  public static String locate(String name, Path directory, String executable, String platform, String namespace,
      String path, DeployLog log) throws NuclioException, InterruptedException {
    String function = name == null || name.isBlank() ? projectFunction(directory, log) : name;
    String checked = NuclioPlatform.require(platform);
    String ns = NuclioPlatform.namespace(checked, namespace);
    Nuctl nuctl = Nuctl.forPlatform(resolve(executable, path), checked, ns, new Redactor());
    String found = find(nuctl, function);
    log.info("Function " + function + " (" + platform + " platform) answers at " + found);
    return found;
  }

  private static String projectFunction(Path directory, DeployLog log) throws NuclioException {
    if (directory == null) {
      throw new NuclioException("no cvat.invoke.url and no project to find the deployed function in: give "
          + "-Dcvat.invoke.url=http://HOST:PORT, or -Dcvat.invoke.function=NAME to ask nuctl");
    }
    try {
      return ProjectFunction.config(directory, null, log).name();
    } catch (NuclioException e) {
      throw new NuclioException(e.getMessage() + "; or give -Dcvat.invoke.url=http://HOST:PORT");
    }
  }

  private static String resolve(String executable, String path) throws NuclioException {
    try {
      return Nuctl.resolve(executable, path).toString();
    } catch (NuclioException e) {
      throw new NuclioException(e.getMessage() + EXPLICIT);
    }
  }

  /**
   * @param nuctl the nuctl of the platform the function was deployed to
   * @param name the function
   * @throws NuclioException when nuctl fails, the function is not deployed or not ready, or Nuclio reports no URL
   */
  public static String find(Nuctl nuctl, String name) throws NuclioException, InterruptedException {
    List<String> command = nuctl.getFunction(name);
    NuctlProcess.Result result;
    try {
      result = nuctl.run(command, Duration.ofMinutes(2), line -> { });
    } catch (IOException e) {
      throw new NuclioException("cannot run " + command.get(0) + ": " + e.getMessage() + EXPLICIT, e);
    } catch (NuctlProcess.TimedOut e) {
      throw new NuclioException(nuctl.display(command) + " did not answer within 2 minutes" + EXPLICIT);
    }
    if (!result.ok()) {
      if (result.output().contains("No functions found")) {
        throw new NuclioException("function " + name + " is not deployed on the " + nuctl.platform()
            + " platform: deploy it with cvat:deploy" + EXPLICIT + " (e.g. http://localhost:8080 for cvat:run)");
      }
      throw new NuclioException(nuctl.redact(nuctl.display(command) + " failed (exit status " + result.exitCode()
          + "): " + result.headline()) + EXPLICIT);
    }
    FunctionStatus status;
    try {
      status = FunctionStatus.parse(result.stdout(), name);
    } catch (NuclioException e) {
      throw new NuclioException(nuctl.redact(e.getMessage()) + EXPLICIT);
    }
    if (!status.state().equals("ready")) {
      throw new NuclioException("function " + name + " is in state '" + status.state() + "', not ready"
          + (status.message().isBlank() ? "" : " (" + nuctl.redact(status.messageLastLine()) + ")")
          + ": deploy it again with cvat:deploy");
    }
    return status.invocationUrl(nuctl.platform()).orElseThrow(() -> new NuclioException("Nuclio reports no URL for "
        + "function " + name + " (no published port or external invocation URL)" + EXPLICIT));
  }
}
