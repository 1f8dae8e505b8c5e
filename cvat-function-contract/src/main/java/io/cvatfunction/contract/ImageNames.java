package io.cvatfunction.contract;

import java.util.Optional;

/** Docker's reading of an image name, as {@code cvat:image} pushes it and {@code cvat:deploy} pulls it. */
public final class ImageNames {

  private ImageNames() {}

  /**
   * The registry an image name starts with ({@code host[:port]}), when it names one. Docker's rule: the first
   * component is a registry when it has a dot, a port, or is {@code localhost}; otherwise ({@code team/app}) it is
   * a Docker Hub namespace.
   */
  public static Optional<String> registryHost(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String first = image.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? Optional.of(first)
        : Optional.empty();
  }
}
