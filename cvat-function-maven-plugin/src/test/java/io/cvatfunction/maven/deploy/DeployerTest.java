package io.cvatfunction.maven.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.nuclio.FakeNuctlHome;
import io.cvatfunction.maven.nuclio.NuclioException;
import io.cvatfunction.maven.nuclio.NuclioPlatform;
import io.cvatfunction.maven.nuclio.Nuctl;
import io.cvatfunction.maven.nuclio.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The deploy flow against the nuctl stand-in: the exact command lines, project creation, waiting for
 * {@code ready}, a failure at each step, dry run, force, credential masking and the kube registries.
 */
class DeployerTest {

  static final String DIGEST = "sha256:3f1c6b2e9a0d4c5b8e7f6a5d4c3b2a1908f7e6d5c4b3a29181706f5e4d3c2b1a";
  static final String IMAGE = "registry.example.com:5000/shapes-detector";
  static final String HANDLER = "io.cvatfunction.samples.shapes.ShapesDetector";
  static final String NETWORK = "{\"attributes\":{\"network\":\"cvat_cvat\"}}";

  @TempDir
  Path dir;

  private Path cvat;
  private FakeNuctlHome fake;
  private final RecordingLog log = new RecordingLog();
  private final List<String> infos = log.infos;
  private final List<String> warnings = log.warnings;

  /** The settings under test, changed per test before {@link #deploy()}. */
  private String platform = "local";
  private String namespace;
  private String registry;
  private String runRegistry;
  private boolean force;
  private boolean dryRun;
  private String dashboardVersion;
  private Duration waitTimeout = Duration.ofSeconds(300);

  @BeforeEach
  void setUp() throws IOException {
    cvat = Files.createDirectories(dir.resolve("target/cvat"));
    for (String file : List.of("function-gpu.yaml", "function.yaml", "image.json")) {
      try (InputStream in = DeployerTest.class.getResourceAsStream("/deploy/" + file)) {
        Files.copy(in, cvat.resolve(file));
      }
    }
    fake = FakeNuctlHome.create(Files.createDirectories(dir.resolve("fake")));
  }

  private DeploySettings settings() throws NuclioException {
    return new DeploySettings(platform, NuclioPlatform.namespace(platform, namespace), "cvat", "cvat_cvat", registry, runRegistry, 300, waitTimeout,
        Duration.ofMillis(20), force, dryRun, dashboardVersion);
  }

  /** Deploys to Kubernetes, namespace cvat, pushed to {@code registry} and pulled from {@code runRegistry}. */
  private void onKube(String registry, String runRegistry) {
    this.platform = "kube";
    this.namespace = "cvat";
    this.registry = registry;
    this.runRegistry = runRegistry;
  }

  private List<Deployer.Deployed> deploy() throws Exception {
    return deploy(fake.executable().toString());
  }

  private List<Deployer.Deployed> deploy(String executable) throws Exception {
    DeploySettings settings = settings();
    settings.validate(log);
    Nuctl nuctl = Deployer.nuctlFor(executable, settings, System.getenv("PATH"), new Redactor());
    return new Deployer(nuctl, settings, log)
        .deploy(ImageRecord.read(cvat.resolve("image.json")), FunctionConfig.locate(cvat, true, null, log));
  }

  private String gpuYaml() {
    return cvat.resolve("function-gpu.yaml").toAbsolutePath().toString();
  }

  private List<String> localDeployCall() {
    return List.of("deploy", "shapes-detector", "--run-image", IMAGE + "@" + DIGEST, "--runtime", "java",
        "--handler", HANDLER, "--file", gpuYaml(), "--platform", "local", "--project-name", "cvat",
        "--platform-config", NETWORK, "--readiness-timeout", "300");
  }

  private static final List<String> GET_PROJECT = List.of("get", "project", "cvat", "--platform", "local");
  private static final List<String> CREATE_PROJECT = List.of("create", "project", "cvat", "--platform", "local");
  private static final List<String> GET_FUNCTION =
      List.of("get", "function", "shapes-detector", "--platform", "local", "-o", "json");

  @Test
  void deploysTheImageByDigestWithExactlyTheseCommands() throws Exception {
    List<Deployer.Deployed> deployed = deploy();

    assertEquals(List.of(List.of("version"), GET_PROJECT, CREATE_PROJECT, GET_FUNCTION, localDeployCall(),
        GET_FUNCTION), fake.calls());
    assertEquals(List.of(new Deployer.Deployed("shapes-detector", "ready", 32768,
        Optional.of("http://localhost:32768"), IMAGE + "@" + DIGEST)), deployed);
    assertTrue(infos.contains("Created Nuclio project cvat on the local platform"), infos.toString());
    assertTrue(infos.stream().anyMatch(l -> l.startsWith(
        "shapes-detector: state ready, HTTP port 32768, invocation URL http://localhost:32768")), infos.toString());
    assertTrue(infos.stream().anyMatch(l -> l.contains("nuctl: ") && l.contains("Function deploy complete")),
        "nuctl's own output is shown as it comes");
    // the printed command is the one that ran, quoted for a shell
    assertTrue(infos.contains("  " + fake.executable() + " deploy shapes-detector --run-image " + IMAGE + "@" + DIGEST
        + " --runtime java --handler " + HANDLER + " --file " + gpuYaml() + " --platform local --project-name cvat"
        + " --platform-config '" + NETWORK + "' --readiness-timeout 300"), infos.toString());
    assertEquals("ready", fake.state().getProperty("function.shapes-detector.state"));
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void createsTheProjectOnlyWhenItIsMissing() throws Exception {
    fake.project("cvat");
    deploy();
    assertFalse(fake.calls().contains(CREATE_PROJECT), fake.calls().toString());
    assertTrue(infos.contains("Nuclio project cvat exists"));
  }

  @Test
  void waitsUntilNuctlReportsReadyAndReadsTheListForm() throws Exception {
    fake.project("cvat").set("deploy.pendingPolls", "3").set("get.form", "list");
    List<Deployer.Deployed> deployed = deploy();
    assertEquals("ready", deployed.get(0).state());
    assertEquals(32768, deployed.get(0).httpPort());
    List<List<String>> calls = fake.calls();
    int deployAt = calls.indexOf(localDeployCall());
    assertEquals(List.of(GET_FUNCTION, GET_FUNCTION, GET_FUNCTION), calls.subList(deployAt + 1, calls.size()),
        "polled while building, until ready");
    assertTrue(infos.contains("shapes-detector: building, waiting for ready"), infos.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "version, 3, reading nuctl's version",
      "get-project, 4, checking Nuclio project cvat",
      "create-project, 5, creating Nuclio project cvat",
      "get-function, 6, getting function shapes-detector",
      "deploy, 7, deploying shapes-detector"})
  void aFailingStepStopsTheDeployWithNuctlsMessageAndExitStatus(String command, int status, String step)
      throws Exception {
    fake.set("fail." + command, status + "|boom in " + command + ": docker said no");
    NuclioException failure = assertThrows(NuclioException.class, this::deploy);
    assertTrue(failure.getMessage().startsWith(step + " failed: nuctl exited with status " + status
        + ": boom in " + command + ": docker said no"), failure.getMessage());
    assertTrue(failure.getMessage().contains("\n  command: " + fake.executable()), failure.getMessage());
    List<List<String>> calls = fake.calls();
    assertEquals(command, String.join("-", calls.get(calls.size() - 1).subList(0, command.contains("-") ? 2 : 1)),
        "nothing runs after the failing step");
  }

  @Test
  void aFunctionThatEndsInErrorFailsWithNuclioReason() throws Exception {
    fake.project("cvat").set("deploy.pendingPolls", "1").set("deploy.finalState", "error")
        .set("deploy.finalMessage", "Function wasn't ready in time. Logs: model load failed");
    NuclioException failure = assertThrows(NuclioException.class, this::deploy);
    assertTrue(failure.getMessage().startsWith("function shapes-detector is in state error: Function wasn't ready in "
        + "time. Logs: model load failed"), failure.getMessage());
    assertTrue(failure.getMessage().contains("raise it"), "the readiness hint: " + failure.getMessage());
  }

  /** A deploy that may take 6 s in all, polling every 200 ms, with a readiness timeout of 1 s. */
  private void deployWaitingSixSeconds() throws Exception {
    // long enough for the stand-in's JVM to start on a loaded machine, so the poll, not nuctl deploy, times out
    DeploySettings settings = new DeploySettings("local", "nuclio", "cvat", "cvat_cvat", null, null, 1,
        Duration.ofSeconds(6), Duration.ofMillis(200), false, false, null);
    new Deployer(Deployer.nuctlFor(fake.executable().toString(), settings, null, new Redactor()), settings, log)
        .deploy(ImageRecord.read(cvat.resolve("image.json")), FunctionConfig.locate(cvat, true, null, log));
  }

  @Test
  void aFunctionThatNeverBecomesReadyFailsAfterTheWaitTimeout() throws Exception {
    fake.project("cvat").set("deploy.pendingPolls", "100000");
    NuclioException failure = assertThrows(NuclioException.class, this::deployWaitingSixSeconds);
    assertTrue(failure.getMessage().startsWith("function shapes-detector is still 'building' after 6 s "
        + "(cvat.deploy.waitTimeout)"), failure.getMessage());
    assertTrue(failure.getMessage().contains("docker logs nuclio-nuclio-shapes-detector"), failure.getMessage());
  }

  @Test
  void aHangingNuctlDeployIsStoppedAtTheWaitTimeout() throws Exception {
    fake.project("cvat").set("deploy.sleepMillis", "60000");
    long start = System.nanoTime();
    NuclioException failure = assertThrows(NuclioException.class, this::deployWaitingSixSeconds);
    assertTrue((System.nanoTime() - start) / 1e9 < 30, "stopped, not waited for");
    assertTrue(failure.getMessage().startsWith("nuctl deploy shapes-detector did not finish within "
        + "cvat.deploy.waitTimeout (6 s) and was stopped"), failure.getMessage());
    assertTrue(failure.getMessage().contains("Deploying function"), "what nuctl printed so far is quoted");
  }

  @Test
  void aDryRunPrintsTheCommandsAndNeedsNoNuctl() throws Exception {
    dryRun = true;
    force = true;
    List<Deployer.Deployed> deployed = deploy("nuctl-that-is-not-installed");
    assertEquals(List.of(), deployed);
    assertEquals(List.of(), fake.calls());
    assertEquals(List.of(
        "Dry run: nothing is executed. cvat:deploy would run:",
        "  nuctl-that-is-not-installed version",
        "  nuctl-that-is-not-installed get project cvat --platform local",
        "  # only if the project does not exist:",
        "  nuctl-that-is-not-installed create project cvat --platform local",
        "  nuctl-that-is-not-installed get function shapes-detector --platform local -o json",
        "  # only if the function was left in building, error or unhealthy:",
        "  nuctl-that-is-not-installed delete function shapes-detector --platform local --force",
        "  nuctl-that-is-not-installed deploy shapes-detector --run-image " + IMAGE + "@" + DIGEST + " --runtime java"
            + " --handler " + HANDLER + " --file " + gpuYaml() + " --platform local --project-name cvat"
            + " --platform-config '" + NETWORK + "' --readiness-timeout 300",
        "  # repeated until the state is ready, for at most 300 s:",
        "  nuctl-that-is-not-installed get function shapes-detector --platform local -o json"), infos);
  }

  @Test
  void aMissingNuctlSaysWhereToGetIt() {
    NuclioException failure = assertThrows(NuclioException.class, () -> deploy("nuctl-that-is-not-installed"));
    assertTrue(failure.getMessage().startsWith("'nuctl-that-is-not-installed' is not on PATH"), failure.getMessage());
    assertTrue(failure.getMessage().contains("-Dcvat.deploy.nuctl=/path/to/nuctl"), failure.getMessage());
    assertTrue(failure.getMessage().contains("nuctl-1.15.9-linux-amd64"), failure.getMessage());
  }

  @Test
  void aFunctionLeftBuildingIsRefusedUnlessForcedThenDeleted() throws Exception {
    fake.project("cvat").function("shapes-detector", "building", "");
    NuclioException refused = assertThrows(NuclioException.class, this::deploy);
    assertTrue(refused.getMessage().startsWith("function shapes-detector is in state 'building': a deploy was left "
        + "unfinished"), refused.getMessage());
    assertTrue(refused.getMessage().contains("Rerun with -Dcvat.deploy.force=true deletes it first ("
        + fake.executable() + " delete function shapes-detector --platform local --force)"), refused.getMessage());
    assertFalse(fake.calls().stream().anyMatch(c -> c.get(0).equals("deploy")), "no deploy was tried");

    force = true;
    deploy();
    List<List<String>> calls = fake.calls();
    int delete = calls.indexOf(List.of("delete", "function", "shapes-detector", "--platform", "local", "--force"));
    assertTrue(delete > 0, calls.toString());
    assertEquals(localDeployCall(), calls.get(delete + 1), "deleted, then deployed");
    assertEquals("ready", fake.state().getProperty("function.shapes-detector.state"));
  }

  @Test
  void aFunctionLeftInErrorIsDeployedOverWithAWarning() throws Exception {
    fake.project("cvat").function("shapes-detector", "error", "docker run failed\ncould not select device driver");
    deploy();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("Function shapes-detector is in state 'error' from an earlier deploy (could "
        + "not select device driver); deploying over it. -Dcvat.deploy.force=true deletes it first"), warnings.get(0));
    assertFalse(fake.calls().stream().anyMatch(c -> c.get(0).equals("delete")), "not deleted without force");
    assertTrue(fake.calls().contains(localDeployCall()));
  }

  @Test
  void credentialsAreNeverShownButNuctlGetsThem() throws Exception {
    onKube("https://ci-bot:s3cr3t-Pa55@registry.example.com:5000",
        "https://puller:s3cr3t-Pa55@registry.internal:5000");
    fake.project("cvat").set("fail.deploy", "1|cannot push to " + registry + ": REGISTRY_PASSWORD=s3cr3t-Pa55 denied");
    NuclioException failure = assertThrows(NuclioException.class, this::deploy);

    String shown = String.join("\n", infos) + String.join("\n", warnings) + failure.getMessage();
    assertFalse(shown.contains("s3cr3t-Pa55"), shown);
    assertTrue(failure.getMessage().contains("--registry https://ci-bot:****@registry.example.com:5000"
        + " --run-registry https://puller:****@registry.internal:5000"), failure.getMessage());
    assertTrue(infos.contains("The image was pushed to registry.example.com:5000; nuctl pulls it from the run "
        + "registry as registry.internal:5000/shapes-detector@" + DIGEST), infos.toString());
    assertTrue(failure.getMessage().contains("cannot push to https://ci-bot:****@registry.example.com:5000: "
        + "REGISTRY_PASSWORD=**** denied"), failure.getMessage());
    List<String> deployCall = fake.calls().stream().filter(c -> c.get(0).equals("deploy")).findFirst().orElseThrow();
    assertEquals(registry, deployCall.get(deployCall.indexOf("--registry") + 1), "nuctl got the real value");
  }

  @Test
  void onKubeTheNamespaceAndRegistriesArePassedAndTheImageIsPulledThroughTheRunRegistry() throws Exception {
    onKube("registry.example.com:5000", "registry.internal:5000");
    fake.project("cvat").set("kube.externalUrl", "shapes-detector.nuclio.example.com");
    List<Deployer.Deployed> deployed = deploy();

    List<String> kube = List.of("--platform", "kube", "--namespace", "cvat");
    List<String> deploy = new ArrayList<>(List.of("deploy", "shapes-detector", "--run-image",
        "shapes-detector@" + DIGEST, "--runtime", "java", "--handler", HANDLER, "--file", gpuYaml()));
    deploy.addAll(kube);
    deploy.addAll(List.of("--project-name", "cvat", "--registry", registry, "--run-registry", runRegistry,
        "--readiness-timeout", "300"));
    List<String> getFunction = new ArrayList<>(List.of("get", "function", "shapes-detector"));
    getFunction.addAll(kube);
    getFunction.addAll(List.of("-o", "json"));
    List<String> getProject = new ArrayList<>(List.of("get", "project", "cvat"));
    getProject.addAll(kube);
    assertEquals(List.of(List.of("version"), getProject, getFunction, deploy, getFunction), fake.calls());
    assertEquals(Optional.of("http://shapes-detector.nuclio.example.com"), deployed.get(0).url());
    assertTrue(infos.contains("The image was pushed to registry.example.com:5000; nuctl pulls it from the run "
        + "registry as registry.internal:5000/shapes-detector@" + DIGEST), infos.toString());
  }

  @Test
  void onKubeAnUnsetNamespaceFailsSayingWhichOneCvatReadsAndLocalKeepsNuclio() throws Exception {
    platform = "kube";
    NuclioException failure = assertThrows(NuclioException.class, this::deploy);
    assertEquals("cvat.deploy.namespace is not set: on Kubernetes CVAT lists the functions of the namespace its Helm "
        + "release is installed in (the server's CVAT_NUCLIO_FUNCTION_NAMESPACE), not nuclio. Find it in the NAMESPACE "
        + "column of 'helm list --all-namespaces' (the cvat release), then pass -Dcvat.deploy.namespace=<that "
        + "namespace>", failure.getMessage());
    assertEquals(List.of(), fake.calls(), "refused before nuctl runs");

    namespace = " ";
    assertThrows(NuclioException.class, this::deploy, "blank is unset");
    namespace = "CVAT";
    assertEquals("cvat.deploy.namespace must be a Kubernetes namespace name, got 'CVAT'",
        assertThrows(NuclioException.class, this::deploy).getMessage());

    platform = "local";
    namespace = null;
    assertEquals("nuclio", settings().namespace());
    deploy();
    assertTrue(fake.calls().stream().noneMatch(call -> call.contains("--namespace")), "nuctl's local default");
    namespace = "team";
    assertEquals("team", settings().namespace());
  }

  @Test
  void aFunctionNameOnlyTheLocalPlatformTakesIsDeployedLocallyAndRefusedOnKube() throws Exception {
    String name = "pth.facebookresearch.sam.vit_h"; // as CVAT's own SAM function was long named
    Files.writeString(cvat.resolve("function-gpu.yaml"),
        Files.readString(cvat.resolve("function-gpu.yaml")).replace("name: shapes-detector", "name: " + name));
    assertEquals(name, deploy().get(0).name());
    List<String> deployCall = fake.calls().stream().filter(c -> c.get(0).equals("deploy")).findFirst().orElseThrow();
    assertEquals(name, deployCall.get(1));

    int before = fake.calls().size();
    onKube(null, null);
    NuclioException failure = assertThrows(NuclioException.class, this::deploy);
    assertEquals("function " + name + " cannot be deployed: on Kubernetes Nuclio names the function's Service "
        + "'nuclio-" + name + "', which must be a DNS-1035 label (lower-case letters, digits and '-', at most 63 "
        + "characters with the prefix), so the deploy fails there; the local platform takes it. A name that works "
        + "everywhere: 'pth-facebookresearch-sam-vit-h'", failure.getMessage());
    assertEquals(before, fake.calls().size(), "refused before nuctl runs");
  }

  @Test
  void aRunRegistryThatCannotBeMappedIsRefused() {
    onKube(null, "registry.internal:5000");
    NuclioException failure = assertThrows(NuclioException.class, this::deploy);
    assertTrue(failure.getMessage().contains("nuctl would pull registry.internal:5000/" + IMAGE
        + ". Set -Dcvat.deploy.registry=registry.example.com:5000"), failure.getMessage());
    assertEquals(List.of(), fake.calls(), "refused before nuctl runs");
  }

  @Test
  void aNuctlOfAnotherVersionThanTheDashboardIsRefused() {
    fake.set("version", "1.13.0");
    dashboardVersion = "1.15.9-amd64";
    NuclioException failure = assertThrows(NuclioException.class, this::deploy);
    assertTrue(failure.getMessage().startsWith("nuctl is 1.13.0 but CVAT's Nuclio dashboard is 1.15.9"),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("releases/download/1.15.9/nuctl-1.15.9-linux-amd64"));
    assertEquals(List.of(List.of("version")), fake.calls());
  }

  @Test
  void theSameVersionAsTheDashboardPasses() throws Exception {
    dashboardVersion = "1.15.9";
    deploy();
    assertTrue(infos.contains("nuctl 1.15.9, the dashboard's version"), infos.toString());
  }

  @Test
  void aTarImageCannotBeDeployedByDigest() throws Exception {
    Files.writeString(cvat.resolve("image.json"), "{\"image\": \"shapes-detector\", \"tag\": \"0.1.0\", "
        + "\"digest\": \"" + DIGEST + "\", \"target\": \"tar\"}");
    NuclioException failure = assertThrows(NuclioException.class, this::deploy);
    assertTrue(failure.getMessage().contains("records a tar file (cvat.image.target=tar): a tar has no registry "
        + "digest Nuclio could pull, so it cannot be deployed by digest"), failure.getMessage());
    assertEquals(List.of(), fake.calls());
  }

  @Test
  void aDockerDaemonImageIsDeployedByTagLocallyAndRefusedOnKube() throws Exception {
    Files.writeString(cvat.resolve("image.json"), "{\"image\": \"shapes-detector\", \"tag\": \"0.1.0\", "
        + "\"digest\": \"" + DIGEST + "\", \"target\": \"docker\"}");
    List<Deployer.Deployed> deployed = deploy();
    assertEquals("shapes-detector:0.1.0", deployed.get(0).image());

    onKube(null, null);
    NuclioException failure = assertThrows(NuclioException.class, this::deploy);
    assertTrue(failure.getMessage().startsWith("the image is only in this machine's Docker daemon"),
        failure.getMessage());
  }

  @Test
  void withoutGpuTheCpuConfigIsDeployed() throws Exception {
    DeploySettings settings = settings();
    Nuctl nuctl = Deployer.nuctlFor(fake.executable().toString(), settings, null, new Redactor());
    new Deployer(nuctl, settings, log).deploy(ImageRecord.read(cvat.resolve("image.json")),
        FunctionConfig.locate(cvat, false, null, log));
    List<String> deployCall = fake.calls().stream().filter(c -> c.get(0).equals("deploy")).findFirst().orElseThrow();
    assertEquals(cvat.resolve("function.yaml").toString(), deployCall.get(deployCall.indexOf("--file") + 1));
  }

  @Test
  void settingsAreCheckedWithTheParameterName() {
    DeploySettings platformAuto = new DeploySettings("auto", "nuclio", "cvat", "cvat_cvat", null, null, 300,
        Duration.ofSeconds(900), Duration.ofSeconds(2), false, false, null);
    assertTrue(assertThrows(NuclioException.class, () -> platformAuto.validate(log)).getMessage()
        .startsWith("cvat.deploy.platform must be local or kube, got 'auto'"));
    DeploySettings shortWait = new DeploySettings("local", "nuclio", "cvat", "cvat_cvat", null, null, 300,
        Duration.ofSeconds(60), Duration.ofSeconds(2), false, false, null);
    assertTrue(assertThrows(NuclioException.class, () -> shortWait.validate(log)).getMessage()
        .startsWith("cvat.deploy.waitTimeout (60 s) must be at least cvat.deploy.readinessTimeout (300 s)"));
    DeploySettings badNetwork = new DeploySettings("local", "nuclio", "cvat", "cvat cvat", null, null, 300,
        Duration.ofSeconds(900), Duration.ofSeconds(2), false, false, null);
    assertTrue(assertThrows(NuclioException.class, () -> badNetwork.validate(log)).getMessage()
        .startsWith("cvat.deploy.network must be a Docker network name"));
  }
}
