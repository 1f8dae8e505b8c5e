package io.cvatfunction.maven.deploy;

import io.cvatfunction.maven.nuclio.FunctionStatus;
import io.cvatfunction.maven.nuclio.NuclioException;
import io.cvatfunction.maven.nuclio.NuclioNames;
import io.cvatfunction.maven.nuclio.Nuctl;
import io.cvatfunction.maven.nuclio.NuctlHints;
import io.cvatfunction.maven.nuclio.NuctlProcess;
import io.cvatfunction.maven.nuclio.NuctlVersion;
import io.cvatfunction.maven.nuclio.Redactor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Deploys the image {@code cvat:image} built, by digest, as a prebuilt-image Nuclio function: checks nuctl's
 * version, creates the project when it is missing, deals with a function a previous run left in
 * {@code building} or {@code error}, runs {@code nuctl deploy --run-image}, and waits until nuctl reports the
 * function {@code ready}. Never prompts; every failure is a {@link NuclioException} with nuctl's own message.
 */
public final class Deployer {

  /** How long a nuctl command other than deploy may take. */
  static final Duration QUICK_COMMAND_TIMEOUT = Duration.ofMinutes(2);

  /**
   * A deployed function.
   *
   * @param name the function
   * @param state its state, {@code ready}
   * @param httpPort {@code status.httpPort} (0 when none)
   * @param url where to invoke it, when Nuclio reports one
   * @param image what it runs
   */
  public record Deployed(String name, String state, int httpPort, Optional<String> url, String image) {}

  private final Nuctl nuctl;
  private final DeploySettings settings;
  private final DeployLog log;

  /**
   * @param nuctl the nuctl to run, on the settings' platform
   * @param settings how to deploy, already {@linkplain DeploySettings#validate validated}
   * @param log where progress goes
   */
  public Deployer(Nuctl nuctl, DeploySettings settings, DeployLog log) {
    this.nuctl = nuctl;
    this.settings = settings;
    this.log = log;
  }

  /**
   * The nuctl for these settings, on their platform and namespace.
   *
   * @param executable {@code cvat.deploy.nuctl}
   * @param path {@code PATH}, to find it; not looked at in a dry run, which needs no nuctl
   * @throws NuclioException when nuctl is not there, saying where to get it
   */
  public static Nuctl nuctlFor(String executable, DeploySettings settings, String path, Redactor redactor)
      throws NuclioException {
    String program = settings.dryRun() ? executable : Nuctl.resolve(executable, path).toString();
    return Nuctl.forPlatform(program, settings.platform(), settings.namespace(), redactor);
  }

  /**
   * Deploys {@code image} as each of {@code functions}, or only prints the commands in a dry run.
   *
   * @return the deployed functions, all {@code ready}; empty in a dry run
   * @throws NuclioException at the first failure, saying what failed and what to do
   */
  public List<Deployed> deploy(ImageRecord image, List<FunctionConfig> functions)
      throws NuclioException, InterruptedException {
    String runImage = RunImage.of(image, settings, log);
    for (FunctionConfig function : functions) {
      if (settings.platform().equals("kube")) {
        Optional<String> refused = NuclioNames.refusedByKubernetes(function.name());
        if (refused.isPresent()) {
          throw new NuclioException("function " + function.name() + " cannot be deployed: " + refused.get());
        }
      }
      if ("cpu".equals(image.flavor()) && function.gpu()) {
        log.warn(function.file().getFileName() + " asks for a GPU but the image is the CPU flavor: the GPU stays idle;"
            + " deploy function.yaml with -Dcvat.deploy.gpu=false or build with -Dcvat.image.flavor=cu121");
      }
    }
    if (settings.dryRun()) {
      printPlan(runImage, functions);
      return List.of();
    }
    checkVersion();
    ensureProject();
    List<Deployed> deployed = new ArrayList<>();
    for (FunctionConfig function : functions) {
      deployed.add(deployOne(function, runImage));
    }
    return deployed;
  }

  private void printPlan(String runImage, List<FunctionConfig> functions) {
    log.info("Dry run: nothing is executed. cvat:deploy would run:");
    show(nuctl.version());
    show(nuctl.getProject(settings.project()));
    log.info("  # only if the project does not exist:");
    show(nuctl.createProject(settings.project()));
    for (FunctionConfig function : functions) {
      show(nuctl.getFunction(function.name()));
      if (settings.force()) {
        log.info("  # only if the function was left in building, error or unhealthy:");
        show(nuctl.deleteFunction(function.name()));
      }
      show(nuctl.deploy(settings.deployArgs(function, runImage)));
      log.info("  # repeated until the state is ready, for at most " + settings.waitTimeout().toSeconds() + " s:");
      show(nuctl.getFunction(function.name()));
    }
  }

  private void show(List<String> command) {
    log.info("  " + nuctl.display(command));
  }

  private void checkVersion() throws NuclioException, InterruptedException {
    NuctlProcess.Result result = runQuick("reading nuctl's version", nuctl.version());
    NuctlVersion version = NuctlVersion.check(result, settings.dashboardVersion());
    if (version.warning()) {
      log.warn(redact(version.message()));
    } else {
      log.info(version.message());
    }
  }

  private void ensureProject() throws NuclioException, InterruptedException {
    String project = settings.project();
    List<String> get = nuctl.getProject(project);
    NuctlProcess.Result found = runQuiet(get, QUICK_COMMAND_TIMEOUT, "checking Nuclio project " + project);
    if (found.ok()) {
      log.info("Nuclio project " + project + " exists");
      return;
    }
    if (!found.output().contains("No projects found")) {
      throw failure("checking Nuclio project " + project, get, found, hint(found.output()));
    }
    runQuick("creating Nuclio project " + project, nuctl.createProject(project));
    log.info("Created Nuclio project " + project + " on the " + settings.platform() + " platform");
  }

  private Deployed deployOne(FunctionConfig function, String runImage)
      throws NuclioException, InterruptedException {
    String name = function.name();
    Optional<FunctionStatus> existing = getFunction(name);
    if (existing.isPresent()) {
      handleExisting(existing.get());
    }
    List<String> deploy = nuctl.deploy(settings.deployArgs(function, runImage));
    log.info("Deploying " + name + " from " + function.file().getFileName() + ":");
    log.info("  " + nuctl.display(deploy));
    long start = System.nanoTime();
    long deadline = start + settings.waitTimeout().toNanos();
    NuctlProcess.Result result;
    try {
      result = nuctl.run(deploy, settings.waitTimeout(), line -> log.info("  nuctl: " + line));
    } catch (IOException e) {
      throw new NuclioException("cannot run " + deploy.get(0) + ": " + e.getMessage(), e);
    } catch (NuctlProcess.TimedOut e) {
      throw failure("nuctl deploy " + name + " did not finish within cvat.deploy.waitTimeout ("
          + settings.waitTimeout().toSeconds() + " s) and was stopped; the function may be left in building: rerun with "
          + "-Dcvat.deploy.force=true", deploy, e.partial(), null);
    }
    if (!result.ok()) {
      throw failure("deploying " + name, deploy, result, hint(result.output()));
    }
    FunctionStatus ready = awaitReady(name, deadline);
    Optional<String> url = ready.invocationUrl(settings.platform());
    log.info(name + ": state " + ready.state() + ", HTTP port " + (ready.httpPort() > 0 ? ready.httpPort() : "none")
        + ", invocation URL " + url.orElse("none reported") + " (" + (System.nanoTime() - start) / 1_000_000_000
        + " s)");
    return new Deployed(name, ready.state(), ready.httpPort(), url, runImage);
  }

  private void handleExisting(FunctionStatus existing) throws NuclioException, InterruptedException {
    String name = existing.name();
    String state = existing.state();
    boolean stale = existing.provisioning() || state.equals("error") || state.equals("unhealthy");
    if (!stale) {
      log.info("Function " + name + " exists (state " + state + "): updating it");
      return;
    }
    String what = existing.provisioning()
        ? "is in state '" + state + "': a deploy was left unfinished (a killed nuctl or a restarted dashboard leaves it "
            + "so) and Nuclio refuses to update it"
        : "is in state '" + state + "' from an earlier deploy" + (existing.message().isBlank() ? ""
            : " (" + existing.messageLastLine() + ")");
    List<String> delete = nuctl.deleteFunction(name);
    if (!settings.force()) {
      String fix = "-Dcvat.deploy.force=true deletes it first (" + nuctl.display(delete) + ")";
      if (existing.provisioning()) {
        throw new NuclioException("function " + name + " " + what + ". Rerun with " + fix);
      }
      log.warn("Function " + name + " " + what + "; deploying over it. " + fix);
      return;
    }
    log.warn("Function " + name + " " + what + "; deleting it first (cvat.deploy.force)");
    runQuick("deleting function " + name, delete);
  }

  private FunctionStatus awaitReady(String name, long deadline) throws NuclioException, InterruptedException {
    String lastState = null;
    while (true) {
      FunctionStatus status = getFunction(name).orElseThrow(() -> new NuclioException("nuctl deploy " + name
          + " succeeded but nuctl get function no longer finds it: check the platform with "
          + nuctl.display(nuctl.getFunction(name))));
      if (status.state().equals("ready")) {
        return status;
      }
      if (status.state().equals("error")) {
        throw new NuclioException("function " + name + " is in state error: " + redact(status.message().isBlank()
            ? "Nuclio gives no reason" : status.messageTail()) + NuctlHints.suffix(hint(status.message())));
      }
      if (!status.state().equals(lastState)) {
        log.info(name + ": " + status.state() + ", waiting for ready");
        lastState = status.state();
      }
      if (System.nanoTime() + settings.pollInterval().toNanos() > deadline) {
        throw new NuclioException("function " + name + " is still '" + status.state() + "' after "
            + settings.waitTimeout().toSeconds() + " s (cvat.deploy.waitTimeout): look at "
            + nuctl.display(nuctl.getFunction(name))
            + (settings.platform().equals("local")
                ? " and docker logs nuclio-" + settings.namespace() + "-" + name : "")
            + ", or raise cvat.deploy.waitTimeout");
      }
      Thread.sleep(settings.pollInterval().toMillis());
    }
  }

  private Optional<FunctionStatus> getFunction(String name) throws NuclioException, InterruptedException {
    List<String> get = nuctl.getFunction(name);
    NuctlProcess.Result result = runQuiet(get, QUICK_COMMAND_TIMEOUT, "getting function " + name);
    if (!result.ok()) {
      if (result.output().contains("No functions found")) {
        return Optional.empty();
      }
      throw failure("getting function " + name, get, result, hint(result.output()));
    }
    try {
      return Optional.of(FunctionStatus.parse(result.stdout(), name));
    } catch (NuclioException e) {
      throw new NuclioException(redact(e.getMessage()), e);
    }
  }

  private NuctlProcess.Result runQuick(String what, List<String> command) throws NuclioException, InterruptedException {
    NuctlProcess.Result result = runQuiet(command, QUICK_COMMAND_TIMEOUT, what);
    if (!result.ok()) {
      throw failure(what, command, result, hint(result.output()));
    }
    return result;
  }

  private NuctlProcess.Result runQuiet(List<String> command, Duration timeout, String what)
      throws NuclioException, InterruptedException {
    log.debug(nuctl.display(command));
    Consumer<String> toDebug = line -> log.debug("  nuctl: " + line);
    try {
      return nuctl.run(command, timeout, toDebug);
    } catch (IOException e) {
      throw new NuclioException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (NuctlProcess.TimedOut e) {
      throw failure(what + " did not finish within " + timeout.toSeconds() + " s and was stopped", command,
          e.partial(), null);
    }
  }

  private NuclioException failure(String what, List<String> command, NuctlProcess.Result result, String hint) {
    return new NuclioException(nuctl.failure(what, command, result, hint));
  }

  private String hint(String output) {
    return settings.hints().forOutput(output);
  }

  private String redact(String text) {
    return nuctl.redact(text);
  }
}
