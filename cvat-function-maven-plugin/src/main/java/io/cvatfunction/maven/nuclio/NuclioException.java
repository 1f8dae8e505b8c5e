package io.cvatfunction.maven.nuclio;

/**
 * {@code cvat:deploy} or {@code cvat:invoke} cannot go on: bad settings, nuctl missing or failing, a function that is
 * not ready, a frame that cannot be sent. The message says what was wrong and how to fix it.
 */
public final class NuclioException extends Exception {
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
