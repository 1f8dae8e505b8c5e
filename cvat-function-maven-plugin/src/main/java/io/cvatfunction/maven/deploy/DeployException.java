package io.cvatfunction.maven.deploy;

import io.cvatfunction.maven.nuclio.NuclioException;

/** A deploy that cannot go on; the message says what was wrong and how to fix it. */
public final class DeployException extends NuclioException {
  private static final long serialVersionUID = 1L;

  /** @param message what was wrong and what to do about it */
  public DeployException(String message) {
    super(message);
  }

  /**
   * @param message what was wrong and what to do about it
   * @param cause the underlying failure
   */
  public DeployException(String message, Throwable cause) {
    super(message, cause);
  }
}
