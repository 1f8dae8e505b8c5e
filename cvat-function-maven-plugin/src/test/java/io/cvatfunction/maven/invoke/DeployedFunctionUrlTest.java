package io.cvatfunction.maven.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.deploy.RecordingLog;
import io.cvatfunction.maven.nuclio.FakeNuctlHome;
import io.cvatfunction.maven.nuclio.NuclioException;
import io.cvatfunction.maven.nuclio.Nuctl;
import io.cvatfunction.maven.nuclio.NuctlProcess;
import io.cvatfunction.maven.nuclio.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a deployed function answers, from nuctl, as cvat:invoke finds it without an explicit URL. */
class DeployedFunctionUrlTest {

  @TempDir
  Path dir;

  private FakeNuctlHome fake;
  private Nuctl nuctl;

  @BeforeEach
  void setUp() throws Exception {
    fake = FakeNuctlHome.create(dir);
    nuctl = Nuctl.forPlatform(fake.executable().toString(), "local", "nuclio", new Redactor());
  }

  @Test
  void aReadyFunctionOnTheLocalPlatformAnswersOnItsPublishedPort() throws Exception {
    fake.set("httpPort", "32771").project("cvat");
    Path yaml = Path.of(DeployedFunctionUrlTest.class.getResource("/deploy/function-gpu.yaml").toURI());
    NuctlProcess.Result deployed = nuctl.run(nuctl.deploy(new Nuctl.DeployArgs("shapes-detector",
        "r/s@sha256:" + "0".repeat(64), "java", "com.example.Shapes", yaml, "cvat", null, null, null, 60)),
        Duration.ofMinutes(1), line -> { });
    assertEquals(0, deployed.exitCode(), deployed.output());

    assertEquals("http://localhost:32771", DeployedFunctionUrl.find(nuctl, "shapes-detector"));
    List<String> lastCall = fake.calls().get(fake.calls().size() - 1);
    assertEquals(List.of("get", "function", "shapes-detector", "--platform", "local", "-o", "json"), lastCall);
  }

  @Test
  void aFunctionThatIsNotDeployedSaysSo() {
    NuclioException failure = assertThrows(NuclioException.class,
        () -> DeployedFunctionUrl.find(nuctl, "shapes-detector"));
    assertTrue(failure.getMessage().startsWith("function shapes-detector is not deployed on the local platform: deploy "
        + "it with cvat:deploy; or give the URL with -Dcvat.invoke.url="), failure.getMessage());
  }

  @Test
  void aFunctionThatIsNotReadyIsNotInvoked() {
    fake.function("shapes-detector", "error", "Function wasn't ready in time");
    NuclioException failure = assertThrows(NuclioException.class,
        () -> DeployedFunctionUrl.find(nuctl, "shapes-detector"));
    assertEquals("function shapes-detector is in state 'error', not ready (Function wasn't ready in time): deploy it "
        + "again with cvat:deploy", failure.getMessage());
  }

  @Test
  void aFailingNuctlIsQuoted() {
    fake.set("fail.get-function", "2|Failed to read functions from a local store");
    NuclioException failure = assertThrows(NuclioException.class,
        () -> DeployedFunctionUrl.find(nuctl, "shapes-detector"));
    assertTrue(failure.getMessage().contains("failed (exit status 2): Failed to read functions from a local store"),
        failure.getMessage());
  }

  private String locate(String name, Path directory, String platform, String namespace) throws Exception {
    return DeployedFunctionUrl.locate(name, directory, fake.executable().toString(), platform, namespace, null,
        new RecordingLog());
  }

  @Test
  void theProjectsFunctionIsLocatedFromItsYamlAndNuctl() throws Exception {
    fake.set("httpPort", "32771").project("cvat");
    Path yaml = Path.of(DeployedFunctionUrlTest.class.getResource("/deploy/function-gpu.yaml").toURI());
    Path project = Files.createDirectories(dir.resolve("target/cvat"));
    Files.copy(yaml, project.resolve("function-gpu.yaml"));
    String name = "shapes-detector";
    NuctlProcess.Result deployed = nuctl.run(nuctl.deploy(new Nuctl.DeployArgs(name, "r/s@sha256:" + "0".repeat(64),
        "java", "com.example.Shapes", yaml, "cvat", null, null, null, 60)), Duration.ofMinutes(1), line -> { });
    assertEquals(0, deployed.exitCode(), deployed.output());

    RecordingLog log = new RecordingLog();
    assertEquals("http://localhost:32771", DeployedFunctionUrl.locate(null, project, fake.executable().toString(),
        "local", " ", null, log));
    assertEquals(List.of("Function " + name + " (local platform) answers at http://localhost:32771"), log.infos());
    assertEquals(List.of("get", "function", name, "--platform", "local", "-o", "json"),
        fake.calls().get(fake.calls().size() - 1));
  }

  @Test
  void withoutAProjectOrANameTheUrlMustBeGiven() {
    NuclioException failure = assertThrows(NuclioException.class, () -> locate(" ", null, "local", null));
    assertEquals("no cvat.invoke.url and no project to find the deployed function in: give "
        + "-Dcvat.invoke.url=http://HOST:PORT, or -Dcvat.invoke.function=NAME to ask nuctl", failure.getMessage());
  }

  @Test
  void theDeploySettingsAreCheckedAsCvatDeployChecksThem() {
    NuclioException auto = assertThrows(NuclioException.class, () -> locate("fn", null, "auto", null));
    assertTrue(auto.getMessage().startsWith("cvat.deploy.platform must be local or kube, got 'auto'"),
        auto.getMessage());
    NuclioException kube = assertThrows(NuclioException.class, () -> locate("fn", null, "kube", null));
    assertTrue(kube.getMessage().startsWith("cvat.deploy.namespace is not set: on Kubernetes"), kube.getMessage());
    NuclioException missing = assertThrows(NuclioException.class, () -> DeployedFunctionUrl.locate("fn", null,
        dir.resolve("no-nuctl").toString(), "local", null, null, new RecordingLog()));
    assertTrue(missing.getMessage().endsWith("does not exist: install nuctl of the same version as CVAT's Nuclio "
        + "dashboard (1.15.9 for current CVAT: https://github.com/nuclio/nuclio/releases/download/1.15.9/"
        + "nuctl-1.15.9-linux-amd64, chmod +x) and put it on PATH, or give its path with "
        + "-Dcvat.deploy.nuctl=/path/to/nuctl; or give the URL with -Dcvat.invoke.url=http://HOST:PORT"),
        missing.getMessage());
  }

  @Test
  void aProjectWithSeveralFunctionsNeedsOneNamed() throws Exception {
    Path yaml = Path.of(DeployedFunctionUrlTest.class.getResource("/deploy/function-gpu.yaml").toURI());
    Path project = dir.resolve("target/cvat");
    for (String function : List.of("a", "b")) {
      Files.writeString(Files.createDirectories(project.resolve(function)).resolve("function-gpu.yaml"),
          Files.readString(yaml).replaceFirst("(?m)^(  name: ).*$", "$1" + function + "-detector"));
    }
    NuclioException failure = assertThrows(NuclioException.class, () -> locate(null, project, "local", null));
    assertEquals("this project has several functions (a-detector, b-detector): name one with "
        + "-Dcvat.invoke.function=NAME; or give -Dcvat.invoke.url=http://HOST:PORT", failure.getMessage());
  }
}
