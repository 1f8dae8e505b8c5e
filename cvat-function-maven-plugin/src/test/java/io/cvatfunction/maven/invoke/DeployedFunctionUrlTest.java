package io.cvatfunction.maven.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.deploy.Deployer;
import io.cvatfunction.maven.deploy.FakeNuctlHome;
import io.cvatfunction.maven.deploy.Nuctl;
import io.cvatfunction.maven.deploy.Redactor;
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
    nuctl = Deployer.nuctlFor(fake.executable().toString(), "local", "nuclio", new Redactor());
  }

  @Test
  void aReadyFunctionOnTheLocalPlatformAnswersOnItsPublishedPort() throws Exception {
    fake.set("httpPort", "32771").project("cvat");
    Path yaml = Path.of(DeployedFunctionUrlTest.class.getResource("/deploy/function-gpu.yaml").toURI());
    Nuctl.Result deployed = nuctl.run(nuctl.deploy(new Nuctl.DeployArgs("shapes-detector",
        "r/s@sha256:" + "0".repeat(64), "java", "com.example.Shapes", yaml, "cvat", null, null, null, 60)),
        Duration.ofMinutes(1), line -> { });
    assertEquals(0, deployed.exitCode(), deployed.output());

    assertEquals("http://localhost:32771", DeployedFunctionUrl.find(nuctl, "shapes-detector"));
    List<String> lastCall = fake.calls().get(fake.calls().size() - 1);
    assertEquals(List.of("get", "function", "shapes-detector", "--platform", "local", "-o", "json"), lastCall);
  }

  @Test
  void aFunctionThatIsNotDeployedSaysSo() {
    InvokeException failure = assertThrows(InvokeException.class,
        () -> DeployedFunctionUrl.find(nuctl, "shapes-detector"));
    assertTrue(failure.getMessage().startsWith("function shapes-detector is not deployed on the local platform: deploy "
        + "it with cvat:deploy; or give the URL with -Dcvat.invoke.url="), failure.getMessage());
  }

  @Test
  void aFunctionThatIsNotReadyIsNotInvoked() {
    fake.function("shapes-detector", "error", "Function wasn't ready in time");
    InvokeException failure = assertThrows(InvokeException.class,
        () -> DeployedFunctionUrl.find(nuctl, "shapes-detector"));
    assertEquals("function shapes-detector is in state 'error', not ready (Function wasn't ready in time): deploy it "
        + "again with cvat:deploy", failure.getMessage());
  }

  @Test
  void aFailingNuctlIsQuoted() {
    fake.set("fail.get-function", "2|Failed to read functions from a local store");
    InvokeException failure = assertThrows(InvokeException.class,
        () -> DeployedFunctionUrl.find(nuctl, "shapes-detector"));
    assertTrue(failure.getMessage().contains("failed (exit status 2): Failed to read functions from a local store"),
        failure.getMessage());
  }
}
