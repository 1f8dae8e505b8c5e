package io.cvatfunction.maven.invoke;

import io.cvatfunction.maven.deploy.DeployException;
import io.cvatfunction.maven.deploy.FunctionStatus;
import io.cvatfunction.maven.deploy.Nuctl;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Finds where a deployed function answers, from {@code nuctl get function NAME -o json}: on the local platform
 * {@code http://localhost:<status.httpPort>}, on kube its external invocation URL.
 */
public final class DeployedFunctionUrl {

  private DeployedFunctionUrl() {}

  /**
   * @param nuctl the nuctl of the platform the function was deployed to
   * @param name the function
   * @throws InvokeException when nuctl fails, the function is not deployed or not ready, or Nuclio reports no URL
   */
  public static String find(Nuctl nuctl, String name) throws InvokeException, InterruptedException {
    String explicit = "; or give the URL with -Dcvat.invoke.url=http://HOST:PORT";
    List<String> command = nuctl.getFunction(name);
    Nuctl.Result result;
    try {
      result = nuctl.run(command, Duration.ofMinutes(2), line -> { });
    } catch (IOException e) {
      throw new InvokeException("cannot run " + command.get(0) + ": " + e.getMessage() + explicit, e);
    } catch (Nuctl.TimedOut e) {
      throw new InvokeException(nuctl.display(command) + " did not answer within 2 minutes" + explicit);
    }
    if (!result.ok()) {
      if (result.output().contains("No functions found")) {
        throw new InvokeException("function " + name + " is not deployed on the " + nuctl.platform()
            + " platform: deploy it with cvat:deploy" + explicit + " (e.g. http://localhost:8080 for cvat:run)");
      }
      throw new InvokeException(nuctl.redact(nuctl.display(command) + " failed (exit status " + result.exitCode()
          + "): " + result.headline()) + explicit);
    }
    FunctionStatus status;
    try {
      status = FunctionStatus.parse(result.stdout(), name);
    } catch (DeployException e) {
      throw new InvokeException(nuctl.redact(e.getMessage()) + explicit);
    }
    if (!status.state().equals("ready")) {
      throw new InvokeException("function " + name + " is in state '" + status.state() + "', not ready"
          + (status.message().isBlank() ? "" : " (" + nuctl.redact(status.message().strip().lines()
              .reduce((a, b) -> b).orElse("")) + ")")
          + ": deploy it again with cvat:deploy");
    }
    return status.invocationUrl(nuctl.platform()).orElseThrow(() -> new InvokeException("Nuclio reports no URL for "
        + "function " + name + " (no published port or external invocation URL)" + explicit));
  }
}
