package io.cvatfunction.maven.nuclio;

/**
 * The platform nuctl works on and the namespace CVAT lists functions in: the rules {@code cvat:deploy} and
 * {@code cvat:invoke} share for {@code cvat.deploy.platform} and {@code cvat.deploy.namespace}.
 */
public final class NuclioPlatform {

  private NuclioPlatform() {}

  /** Whether {@code platform} is one the plugin names to nuctl: {@code local} or {@code kube}. */
  public static boolean isPlatform(String platform) {
    return platform != null && platform.matches("local|kube");
  }

  /** Why {@code platform} is refused, for a setting that is not {@linkplain #isPlatform a platform}. */
  public static String notAPlatform(String platform) {
    return "cvat.deploy.platform must be local or kube, got '" + platform + "' (nuctl's auto picks kube whenever a "
        + "kubeconfig exists, so the plugin always names the platform)";
  }

  /**
   * {@code platform}, checked.
   *
   * @throws NuclioException when it is not {@code local} or {@code kube}
   */
  public static String require(String platform) throws NuclioException {
    requireThat(isPlatform(platform), notAPlatform(platform));
    return platform;
  }

  /**
   * The namespace CVAT lists functions in: the one given; unset, {@code nuclio} on the local platform (CVAT's
   * serverless compose file), while on Kubernetes there is no safe default, as CVAT's Helm chart makes CVAT read
   * its own release namespace.
   *
   * @param configured {@code cvat.deploy.namespace}, null or blank when unset
   * @throws NuclioException on kube without a namespace, saying which one CVAT reads and how to find it, or when
   *     the namespace is no Kubernetes name
   */
  public static String namespace(String platform, String configured) throws NuclioException {
    if (configured != null && !configured.isBlank()) {
      requireThat(NuclioNames.isDnsLabel(configured.trim()),
          "cvat.deploy.namespace must be a Kubernetes namespace name, got '" + configured + "'");
      return configured.trim();
    }
    requireThat(!"kube".equals(platform), "cvat.deploy.namespace is not set: on Kubernetes CVAT lists the functions of "
        + "the namespace its Helm release is installed in (the server's CVAT_NUCLIO_FUNCTION_NAMESPACE), not "
        + "nuclio. Find it in the NAMESPACE column of 'helm list --all-namespaces' (the cvat release), then pass "
        + "-Dcvat.deploy.namespace=<that namespace>");
    return "nuclio";
  }

  private static void requireThat(boolean condition, String message) throws NuclioException {
    if (!condition) {
      throw new NuclioException(message);
    }
  }
}
