package io.cvatfunction.maven.deploy;

import io.cvatfunction.maven.nuclio.NuclioException;

/**
 * The image reference nuctl gets: {@code image@digest}, never a tag that can move; only an image that is in the
 * local Docker daemon alone goes by its tag, as the daemon knows no registry digest for it.
 */
final class RunImage {

  private RunImage() {}

  /**
   * @param image what {@code cvat:image} recorded
   * @param settings the platform and registries to deploy with
   * @param log where to say which reference is used when it is not {@code image@digest}
   * @throws NuclioException when the image cannot be deployed from where it is, saying how to build it instead
   */
  static String of(ImageRecord image, DeploySettings settings, DeployLog log) throws NuclioException {
    switch (image.target()) {
      case "tar" -> throw new NuclioException(image.file() + " records a tar file (cvat.image.target=tar): a tar has "
          + "no registry digest Nuclio could pull, so it cannot be deployed by digest. Build with "
          + "-Dcvat.image.target=registry (or docker, for the local platform) and deploy again");
      case "docker" -> {
        if (settings.platform().equals("kube")) {
          throw new NuclioException("the image is only in this machine's Docker daemon (cvat.image.target=docker): "
              + "a Kubernetes cluster cannot pull it. Build with -Dcvat.image.target=registry and deploy again");
        }
        // docker load gives an image no registry digest, so image@digest would make Docker try to pull it.
        String byTag = image.byTag().orElseThrow(() -> new NuclioException(image.file() + " records a Docker daemon "
            + "image without a tag: run cvat:image again"));
        log.info("The image is in the local Docker daemon, which knows it by tag, not by registry digest: deploying "
            + byTag + " (" + image.digest() + ")");
        return byTag;
      }
      default -> {
        return mapToRunRegistry(image, settings, log);
      }
    }
  }

  // nuctl prepends --run-registry to an image that does not start with it (kube deployer), so an image pushed to
  // cvat.deploy.registry is given without that registry and pulled through the run registry.
  private static String mapToRunRegistry(ImageRecord image, DeploySettings settings, DeployLog log)
      throws NuclioException {
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
      throw new NuclioException("cvat.deploy.runRegistry is " + runRegistry + " but the image is in "
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
}
