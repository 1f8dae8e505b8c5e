package io.cvatfunction.maven.nuclio;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names Nuclio and Kubernetes accept, written once for the spec, the lint, the deploy and the invoke.
 *
 * <p>Nuclio validates a function name as a Kubernetes qualified name on every platform, so CVAT's own
 * {@code pth.facebookresearch.sam.vit_h} deploys on the local platform. Kubernetes is stricter: there Nuclio names
 * the function's Service {@code nuclio-<name>}, which must be a DNS-1035 label.
 */
public final class NuclioNames {

  /** Kubernetes' qualified name, without the optional {@code prefix/}: Nuclio's function name rule. */
  private static final Pattern QUALIFIED = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  /** A DNS-1123 label: Kubernetes namespaces, Nuclio projects, and function names that work everywhere. */
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  /** The longest Kubernetes name or label. */
  public static final int MAX_LENGTH = 63;
  /** What Nuclio puts before a function's name to name its Kubernetes Service. */
  public static final String SERVICE_PREFIX = "nuclio-";
  /** The longest function name whose Service name fits Kubernetes. */
  public static final int MAX_PORTABLE_LENGTH = MAX_LENGTH - SERVICE_PREFIX.length();

  private NuclioNames() {}

  /** Whether {@code name} has the form of a qualified name, whatever its length. */
  public static boolean hasQualifiedForm(String name) {
    return QUALIFIED.matcher(name).matches();
  }

  /** Why Nuclio refuses {@code name} as a function name on every platform, or empty when it takes it. */
  public static Optional<String> refusedByNuclio(String name) {
    if (!hasQualifiedForm(name)) {
      return Optional.of("'" + name + "' is not a valid Nuclio function name: use letters, digits, '-', '_' and '.', "
          + "starting and ending with a letter or digit");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of("'" + name + "' has " + name.length() + " characters; Nuclio accepts at most " + MAX_LENGTH
          + ": shorten it");
    }
    return Optional.empty();
  }

  /**
   * Why a function name Nuclio accepts still fails on Kubernetes, or empty when it works there too.
   * A name for which this is empty works on every platform.
   */
  public static Optional<String> refusedByKubernetes(String name) {
    if (DNS_LABEL.matcher(name).matches() && name.length() <= MAX_PORTABLE_LENGTH) {
      return Optional.empty();
    }
    return Optional.of("on Kubernetes Nuclio names the function's Service '" + SERVICE_PREFIX + name + "', which "
        + "must be a DNS-1035 label (lower-case letters, digits and '-', at most " + MAX_LENGTH + " characters with "
        + "the prefix), so the deploy fails there; the local platform takes it. A name that works everywhere: '"
        + portable(name) + "'");
  }

  /** Whether {@code value} is a DNS-1123 label: a Kubernetes namespace or a Nuclio project name. */
  public static boolean isDnsLabel(String value) {
    return value != null && value.length() <= MAX_LENGTH && DNS_LABEL.matcher(value).matches();
  }

  /** {@code name} made to work everywhere: lower case, '-' for anything else, at most 56 characters. */
  public static String portable(String name) {
    String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    cleaned = cleaned.substring(0, Math.min(cleaned.length(), MAX_PORTABLE_LENGTH)).replaceAll("-+$", "");
    return cleaned.isEmpty() ? "my-function" : cleaned;
  }
}
