package io.cvatfunction.maven.nuclio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** nuctl's version against the dashboard's, from {@code nuctl version}'s real output. */
class NuctlVersionTest {

  private static NuctlProcess.Result version(String label) {
    return new NuctlProcess.Result(0, "Client version:\n\"Label: " + label + ", Git commit: 0a1b2c, OS: linux, "
        + "Arch: amd64, Go version: go1.21.13\"\n", "");
  }

  @Test
  void theSameReleaseAsTheDashboardPasses() throws NuclioException {
    assertEquals(new NuctlVersion(false, "nuctl 1.15.9, the dashboard's version"),
        NuctlVersion.check(version("v1.15.9-amd64"), "1.15.9"));
  }

  @Test
  void withoutTheDashboardsVersionNuctlsIsShown() throws NuclioException {
    assertEquals(new NuctlVersion(false, "nuctl 1.15.9 (it must be the version of CVAT's Nuclio dashboard; "
        + "-Dcvat.deploy.dashboardVersion=X checks that)"), NuctlVersion.check(version("1.15.9"), " "));
  }

  @Test
  void anotherReleaseIsRefusedWithWhereToGetTheRightOne() {
    NuclioException failure = assertThrows(NuclioException.class,
        () -> NuctlVersion.check(version("1.13.0"), "v1.15.9"));
    assertTrue(failure.getMessage().startsWith("nuctl is 1.13.0 but CVAT's Nuclio dashboard is 1.15.9 "
        + "(cvat.deploy.dashboardVersion)"), failure.getMessage());
    assertTrue(failure.getMessage().contains("https://github.com/nuclio/nuclio/releases/download/1.15.9/"
        + "nuctl-1.15.9-linux-amd64"), failure.getMessage());
  }

  @Test
  void aDevelopmentBuildOrNoVersionCannotBeCheckedAndSaysSo() throws NuclioException {
    assertEquals(new NuctlVersion(true, "nuctl reports version 'latest', a development build: cannot check it "
        + "against the dashboard's 1.15.9"), NuctlVersion.check(version("latest"), "1.15.9"));
    assertEquals(new NuctlVersion(true, "cannot read nuctl's version from its output (unknown command \"version\"); "
        + "cannot check it against the dashboard's 1.15.9"),
        NuctlVersion.check(new NuctlProcess.Result(1, "", "Error - unknown command \"version\"\n"), "1.15.9"));
  }
}
