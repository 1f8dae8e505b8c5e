package io.cvatfunction.maven.nuclio;

/**
 * nuctl cannot be found or run, or its answer cannot be used; the message says what was wrong and how to fix it.
 * {@code DeployException} is one, so a deploy's failures and nuctl's reach the user alike.
 */
public class NuclioException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what was wrong and what to do about it */
  public NuclioException(String message) {
    super(message);
  }

  /**
   * @param message what was wrong and what to do about it
   * @param cause the underlying failure
   */
  public NuclioException(String message, Throwable cause) {
    super(message, cause);
  }
}
