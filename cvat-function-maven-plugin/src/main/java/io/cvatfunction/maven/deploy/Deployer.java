package io.cvatfunction.maven.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.maven.nuclio.NuclioNames;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Deploys the image {@code cvat:image} built, by digest, as a prebuilt-image Nuclio function: checks nuctl's
 * version, creates the project when it is missing, deals with a function a previous run left in
 * {@code building} or {@code error}, runs {@code nuctl deploy --run-image}, and waits until nuctl reports the
 * function {@code ready}. Never prompts; every failure is a {@link DeployException} with nuctl's own message.
 */
public final class Deployer {

  /** How long a nuctl command other than deploy may take. */
  static final Duration QUICK_COMMAND_TIMEOUT = Duration.ofMinutes(2);

  /**
   * How to deploy.
   *
   * @param platform {@code local} or {@code kube}
   * @param namespace the Nuclio namespace CVAT looks in, as {@link #namespace(String, String)} resolves it
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
  public record Settings(String platform, String namespace, String project, String network, String registry,
      String runRegistry, int readinessTimeoutSeconds, Duration waitTimeout, Duration pollInterval, boolean force,
      boolean dryRun, String dashboardVersion) {

    /**
     * Checks every setting, naming the parameter that is wrong.
     *
     * @throws DeployException on the first bad setting
     */
    public void validate(DeployLog log) throws DeployException {
      require(platform != null && platform.matches("local|kube"),
          "cvat.deploy.platform must be local or kube, got '" + platform + "' (nuctl's auto picks kube whenever a "
              + "kubeconfig exists, so the plugin always names the platform)");
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
     * The namespace CVAT lists functions in: the one given; unset, {@code nuclio} on the local platform (CVAT's
     * serverless compose file), while on Kubernetes there is no safe default, as CVAT's Helm chart makes CVAT read
     * its own release namespace.
     *
     * @param configured {@code cvat.deploy.namespace}, null or blank when unset
     * @throws DeployException on kube without a namespace, saying which one CVAT reads and how to find it, or when
     *     the namespace is no Kubernetes name
     */
    public static String namespace(String platform, String configured) throws DeployException {
      if (configured != null && !configured.isBlank()) {
        require(NuclioNames.isDnsLabel(configured.trim()),
            "cvat.deploy.namespace must be a Kubernetes namespace name, got '" + configured + "'");
        return configured.trim();
      }
      require(!"kube".equals(platform), "cvat.deploy.namespace is not set: on Kubernetes CVAT lists the functions of "
          + "the namespace its Helm release is installed in (the server's CVAT_NUCLIO_FUNCTION_NAMESPACE), not "
          + "nuclio. Find it in the NAMESPACE column of 'helm list --all-namespaces' (the cvat release), then pass "
          + "-Dcvat.deploy.namespace=<that namespace>");
      return "nuclio";
    }

    private static void require(boolean condition, String message) throws DeployException {
      if (!condition) {
        throw new DeployException(message);
      }
    }
  }

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

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Nuctl nuctl;
  private final Settings settings;
  private final DeployLog log;

  /**
   * @param nuctl the nuctl to run, on the settings' platform
   * @param settings how to deploy, already {@linkplain Settings#validate validated}
   * @param log where progress goes
   */
  public Deployer(Nuctl nuctl, Settings settings, DeployLog log) {
    this.nuctl = nuctl;
    this.settings = settings;
    this.log = log;
  }

  /**
   * The nuctl for these settings: {@code --namespace} is passed on kube (nuctl would otherwise take the
   * kubeconfig context's namespace) and on local only when it is not nuctl's default there, {@code nuclio}.
   *
   * @param executable {@code cvat.deploy.nuctl}
   * @param path {@code PATH}, to find it; not looked at in a dry run, which needs no nuctl
   */
  public static Nuctl nuctlFor(String executable, Settings settings, String path, Redactor redactor)
      throws DeployException {
    return nuctlFor(settings.dryRun() ? executable : Nuctl.resolve(executable, path).toString(), settings.platform(),
        settings.namespace(), redactor);
  }

  /**
   * The nuctl for a platform and namespace, as {@link #nuctlFor(String, Settings, String, Redactor)} passes them.
   *
   * @param program the nuctl to run, already resolved
   */
  public static Nuctl nuctlFor(String program, String platform, String namespace, Redactor redactor) {
    return new Nuctl(program, platform,
        platform.equals("kube") || !namespace.equals("nuclio") ? namespace : null, redactor);
  }

  /**
   * Deploys {@code image} as each of {@code functions}, or only prints the commands in a dry run.
   *
   * @return the deployed functions, all {@code ready}; empty in a dry run
   * @throws DeployException at the first failure, saying what failed and what to do
   */
  public List<Deployed> deploy(ImageRecord image, List<FunctionConfig> functions)
      throws DeployException, InterruptedException {
    String runImage = runImage(image);
    for (FunctionConfig function : functions) {
      if (settings.platform().equals("kube")) {
        Optional<String> refused = NuclioNames.refusedByKubernetes(function.name());
        if (refused.isPresent()) {
          throw new DeployException("function " + function.name() + " cannot be deployed: " + refused.get());
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

  /**
   * The image reference nuctl gets: {@code image@digest}, never a tag that can move; only an image that is in the
   * local Docker daemon alone goes by its tag, as the daemon knows no registry digest for it.
   */
  String runImage(ImageRecord image) throws DeployException {
    switch (image.target()) {
      case "tar" -> throw new DeployException(image.file() + " records a tar file (cvat.image.target=tar): a tar has "
          + "no registry digest Nuclio could pull, so it cannot be deployed by digest. Build with "
          + "-Dcvat.image.target=registry (or docker, for the local platform) and deploy again");
      case "docker" -> {
        if (settings.platform().equals("kube")) {
          throw new DeployException("the image is only in this machine's Docker daemon (cvat.image.target=docker): "
              + "a Kubernetes cluster cannot pull it. Build with -Dcvat.image.target=registry and deploy again");
        }
        // docker load gives an image no registry digest, so image@digest would make Docker try to pull it.
        String byTag = image.byTag().orElseThrow(() -> new DeployException(image.file() + " records a Docker daemon "
            + "image without a tag: run cvat:image again"));
        log.info("The image is in the local Docker daemon, which knows it by tag, not by registry digest: deploying "
            + byTag + " (" + image.digest() + ")");
        return byTag;
      }
      default -> {
        return mapToRunRegistry(image);
      }
    }
  }

  // nuctl prepends --run-registry to an image that does not start with it (kube deployer), so an image pushed to
  // cvat.deploy.registry is given without that registry and pulled through the run registry.
  private String mapToRunRegistry(ImageRecord image) throws DeployException {
    String runRegistry = settings.platform().equals("kube") ? hostOf(settings.runRegistry()) : null;
    if (runRegistry == null || image.image().startsWith(runRegistry + "/")) {
      return image.byDigest();
    }
    String registry = hostOf(settings.registry());
    if (registry != null && image.image().startsWith(registry + "/")) {
      String relative = image.image().substring(registry.length() + 1) + "@" + image.digest();
      log.info("The image was pushed to " + registry + "; nuctl pulls it from the run registry as " + runRegistry + "/"
          + relative);
      return relative;
    }
    if (image.registryHost().isPresent()) {
      throw new DeployException("cvat.deploy.runRegistry is " + runRegistry + " but the image is in "
          + image.registryHost().get() + " (" + image.image() + "): nuctl would pull " + runRegistry + "/"
          + image.image() + ". Set -Dcvat.deploy.registry=" + image.registryHost().get()
          + " so the image is pulled through the run registry, or leave cvat.deploy.runRegistry out");
    }
    return image.byDigest();
  }

  private static String hostOf(String registry) {
    if (registry == null || registry.isBlank()) {
      return null;
    }
    // scheme, user:password@ and trailing slashes off: what is left is what image names start with
    return registry.trim().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("^[^@/]*@", "")
        .replaceFirst("/+$", "");
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
      show(nuctl.deploy(deployArgs(function, runImage)));
      log.info("  # repeated until the state is ready, for at most " + settings.waitTimeout().toSeconds() + " s:");
      show(nuctl.getFunction(function.name()));
    }
  }

  private void show(List<String> command) {
    log.info("  " + nuctl.display(command));
  }

  Nuctl.DeployArgs deployArgs(FunctionConfig function, String runImage) {
    boolean kube = settings.platform().equals("kube");
    String platformConfig = null;
    if (!kube && settings.network() != null) {
      try {
        platformConfig = JSON.writeValueAsString(Map.of("attributes", Map.of("network", settings.network())));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a two-level map as JSON", e);
      }
    }
    return new Nuctl.DeployArgs(function.name(), runImage, function.runtime(), function.handler(), function.file(),
        settings.project(), platformConfig, kube ? blankToNull(settings.registry()) : null,
        kube ? blankToNull(settings.runRegistry()) : null, settings.readinessTimeoutSeconds());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private void checkVersion() throws DeployException, InterruptedException {
    Nuctl.Result result = runQuick("reading nuctl's version", nuctl.version());
    Optional<String> version = Nuctl.parseVersion(result.stdout());
    String expected = settings.dashboardVersion();
    if (version.isEmpty()) {
      log.warn("cannot read nuctl's version from its output (" + redact(result.headline()) + ")"
          + (expected == null ? "" : "; cannot check it against the dashboard's " + expected));
      return;
    }
    String actual = Nuctl.normalizeVersion(version.get());
    if (expected == null || expected.isBlank()) {
      log.info("nuctl " + actual + " (it must be the version of CVAT's Nuclio dashboard; "
          + "-Dcvat.deploy.dashboardVersion=X checks that)");
      return;
    }
    String wanted = Nuctl.normalizeVersion(expected);
    if (!actual.matches("\\d+\\.\\d+\\.\\d+.*")) {
      log.warn("nuctl reports version '" + actual + "', a development build: cannot check it against the dashboard's "
          + wanted);
    } else if (!actual.equals(wanted)) {
      throw new DeployException("nuctl is " + actual + " but CVAT's Nuclio dashboard is " + wanted
          + " (cvat.deploy.dashboardVersion): they must be the same version, a mismatch gives odd deploy errors. Use "
          + "nuctl " + wanted + ": https://github.com/nuclio/nuclio/releases/download/" + wanted + "/nuctl-" + wanted
          + "-linux-amd64 (-Dcvat.deploy.nuctl=/path/to/it)");
    } else {
      log.info("nuctl " + actual + ", the dashboard's version");
    }
  }

  private void ensureProject() throws DeployException, InterruptedException {
    String project = settings.project();
    List<String> get = nuctl.getProject(project);
    Nuctl.Result found = runQuiet(get, QUICK_COMMAND_TIMEOUT, "checking Nuclio project " + project);
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
      throws DeployException, InterruptedException {
    String name = function.name();
    Optional<FunctionStatus> existing = getFunction(name);
    if (existing.isPresent()) {
      handleExisting(existing.get());
    }
    List<String> deploy = nuctl.deploy(deployArgs(function, runImage));
    log.info("Deploying " + name + " from " + function.file().getFileName() + ":");
    log.info("  " + nuctl.display(deploy));
    long start = System.nanoTime();
    long deadline = start + settings.waitTimeout().toNanos();
    Nuctl.Result result;
    try {
      result = nuctl.run(deploy, settings.waitTimeout(), line -> log.info("  nuctl: " + line));
    } catch (IOException e) {
      throw new DeployException("cannot run " + deploy.get(0) + ": " + e.getMessage(), e);
    } catch (Nuctl.TimedOut e) {
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

  private void handleExisting(FunctionStatus existing) throws DeployException, InterruptedException {
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
            : " (" + lastLine(existing.message()) + ")");
    List<String> delete = nuctl.deleteFunction(name);
    if (!settings.force()) {
      String fix = "-Dcvat.deploy.force=true deletes it first (" + nuctl.display(delete) + ")";
      if (existing.provisioning()) {
        throw new DeployException("function " + name + " " + what + ". Rerun with " + fix);
      }
      log.warn("Function " + name + " " + what + "; deploying over it. " + fix);
      return;
    }
    log.warn("Function " + name + " " + what + "; deleting it first (cvat.deploy.force)");
    runQuick("deleting function " + name, delete);
  }

  private FunctionStatus awaitReady(String name, long deadline) throws DeployException, InterruptedException {
    String lastState = null;
    while (true) {
      FunctionStatus status = getFunction(name).orElseThrow(() -> new DeployException("nuctl deploy " + name
          + " succeeded but nuctl get function no longer finds it: check the platform with "
          + nuctl.display(nuctl.getFunction(name))));
      if (status.state().equals("ready")) {
        return status;
      }
      if (status.state().equals("error")) {
        throw new DeployException("function " + name + " is in state error: " + redact(status.message().isBlank()
            ? "Nuclio gives no reason" : tail(status.message())) + hintSuffix(hint(status.message())));
      }
      if (!status.state().equals(lastState)) {
        log.info(name + ": " + status.state() + ", waiting for ready");
        lastState = status.state();
      }
      if (System.nanoTime() + settings.pollInterval().toNanos() > deadline) {
        throw new DeployException("function " + name + " is still '" + status.state() + "' after "
            + settings.waitTimeout().toSeconds() + " s (cvat.deploy.waitTimeout): look at "
            + nuctl.display(nuctl.getFunction(name))
            + (settings.platform().equals("local")
                ? " and docker logs nuclio-" + settings.namespace() + "-" + name : "")
            + ", or raise cvat.deploy.waitTimeout");
      }
      Thread.sleep(settings.pollInterval().toMillis());
    }
  }

  private Optional<FunctionStatus> getFunction(String name) throws DeployException, InterruptedException {
    List<String> get = nuctl.getFunction(name);
    Nuctl.Result result = runQuiet(get, QUICK_COMMAND_TIMEOUT, "getting function " + name);
    if (!result.ok()) {
      if (result.output().contains("No functions found")) {
        return Optional.empty();
      }
      throw failure("getting function " + name, get, result, hint(result.output()));
    }
    try {
      return Optional.of(FunctionStatus.parse(result.stdout(), name));
    } catch (DeployException e) {
      throw new DeployException(redact(e.getMessage()));
    }
  }

  private Nuctl.Result runQuick(String what, List<String> command) throws DeployException, InterruptedException {
    Nuctl.Result result = runQuiet(command, QUICK_COMMAND_TIMEOUT, what);
    if (!result.ok()) {
      throw failure(what, command, result, hint(result.output()));
    }
    return result;
  }

  private Nuctl.Result runQuiet(List<String> command, Duration timeout, String what)
      throws DeployException, InterruptedException {
    log.debug(nuctl.display(command));
    Consumer<String> toDebug = line -> log.debug("  nuctl: " + line);
    try {
      return nuctl.run(command, timeout, toDebug);
    } catch (IOException e) {
      throw new DeployException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (Nuctl.TimedOut e) {
      throw failure(what + " did not finish within " + timeout.toSeconds() + " s and was stopped", command,
          e.partial(), null);
    }
  }

  private DeployException failure(String what, List<String> command, Nuctl.Result result, String hint) {
    StringBuilder message = new StringBuilder(what);
    if (result.exitCode() >= 0) {
      message.append(" failed: nuctl exited with status ").append(result.exitCode()).append(": ")
          .append(result.headline());
    }
    message.append("\n  command: ").append(nuctl.display(command));
    List<String> tail = result.tail(Nuctl.TAIL_LINES);
    if (!tail.isEmpty()) {
      message.append("\n  nuctl output (last ").append(tail.size()).append(" lines):");
      tail.forEach(line -> message.append("\n    ").append(line));
    }
    message.append(hintSuffix(hint));
    return new DeployException(redact(message.toString()));
  }

  private static String hintSuffix(String hint) {
    return hint == null ? "" : "\n  " + hint;
  }

  // What users hit most (nuclio-cvat-contract §6), recognised in nuctl's or Nuclio's message.
  private String hint(String output) {
    String text = output.toLowerCase(java.util.Locale.ROOT);
    if (text.contains("could not select device driver") || text.contains("nvidia-container-cli")) {
      return "Docker cannot give the container a GPU: install the NVIDIA Container Toolkit on the host, or deploy "
          + "without a GPU with -Dcvat.deploy.gpu=false";
    }
    if (text.contains("wasn't ready in time")) {
      return "the function did not report ready within cvat.deploy.readinessTimeout (" + settings.readinessTimeoutSeconds()
          + " s): the model may still be loading; raise it, and see docker logs nuclio-" + settings.namespace() + "-<name>";
    }
    if (text.contains("network") && text.contains("not found")) {
      return "Docker network " + settings.network() + " does not exist: start CVAT with "
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

  private String redact(String text) {
    return nuctl.redact(text);
  }

  private static String lastLine(String message) {
    List<String> lines = message.lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  private static String tail(String message) {
    List<String> lines = message.lines().filter(l -> !l.isBlank()).toList();
    return String.join("\n    ", lines.subList(Math.max(0, lines.size() - Nuctl.TAIL_LINES), lines.size()));
  }
}
