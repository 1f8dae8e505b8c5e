package io.cvatfunction.maven.nuclio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The hint table, on the messages nuctl and Nuclio really print. */
class NuctlHintsTest {

  private final NuctlHints hints = new NuctlHints(300, "nuclio", "cvat_cvat");

  @Test
  void eachKnownFailureGetsItsFix() {
    assertTrue(hints.forOutput("Error response from daemon: could not select device driver \"\" with capabilities: "
        + "[[gpu]]").startsWith("Docker cannot give the container a GPU"));
    assertEquals("the function did not report ready within cvat.deploy.readinessTimeout (300 s): the model may still "
        + "be loading; raise it, and see docker logs nuclio-nuclio-<name>",
        hints.forOutput("Function wasn't ready in time. Logs:"));
    assertTrue(hints.forOutput("Error response from daemon: network cvat_cvat not found")
        .startsWith("Docker network cvat_cvat does not exist"));
    assertTrue(hints.forOutput("Function is being provisioned").contains("-Dcvat.deploy.force=true"));
    assertTrue(hints.forOutput("Cannot connect to the Docker daemon at unix:///var/run/docker.sock")
        .endsWith("or use -Dcvat.deploy.platform=kube"));
  }

  @Test
  void anUnknownFailureGetsNoHint() {
    assertNull(hints.forOutput("Error - something nobody has seen"));
    assertEquals("", NuctlHints.suffix(null));
    assertEquals("\n  fix it", NuctlHints.suffix("fix it"));
  }
}
