package io.cvatfunction.maven.nuclio;

/**
 * nuctl's version against the Nuclio dashboard's: they must be the same, a mismatch gives odd deploy errors.
 *
 * @param warning whether the check could not be made (no version in nuctl's output, a development build)
 * @param message what was found, to log
 */
public record NuctlVersion(boolean warning, String message) {

  /**
   * Checks {@code nuctl version}'s answer.
   *
   * @param version what {@code nuctl version} printed
   * @param expected {@code cvat.deploy.dashboardVersion}, null or blank when unset
   * @throws NuclioException when nuctl is another release than the dashboard, saying where to get the right one
   */
  public static NuctlVersion check(NuctlProcess.Result version, String expected) throws NuclioException {
    String label = Nuctl.parseVersion(version.stdout()).orElse(null);
    if (label == null) {
      return new NuctlVersion(true, "cannot read nuctl's version from its output (" + version.headline() + ")"
          + (expected == null ? "" : "; cannot check it against the dashboard's " + expected));
    }
    String actual = Nuctl.normalizeVersion(label);
    if (expected == null || expected.isBlank()) {
      return new NuctlVersion(false, "nuctl " + actual + " (it must be the version of CVAT's Nuclio dashboard; "
          + "-Dcvat.deploy.dashboardVersion=X checks that)");
    }
    String wanted = Nuctl.normalizeVersion(expected);
    if (!actual.matches("\\d+\\.\\d+\\.\\d+.*")) {
      return new NuctlVersion(true, "nuctl reports version '" + actual + "', a development build: cannot check it "
          + "against the dashboard's " + wanted);
    }
    if (!actual.equals(wanted)) {
      throw new NuclioException("nuctl is " + actual + " but CVAT's Nuclio dashboard is " + wanted
          + " (cvat.deploy.dashboardVersion): they must be the same version, a mismatch gives odd deploy errors. Use "
          + "nuctl " + wanted + ": https://github.com/nuclio/nuclio/releases/download/" + wanted + "/nuctl-" + wanted
          + "-linux-amd64 (-Dcvat.deploy.nuctl=/path/to/it)");
    }
    return new NuctlVersion(false, "nuctl " + actual + ", the dashboard's version");
  }
}
