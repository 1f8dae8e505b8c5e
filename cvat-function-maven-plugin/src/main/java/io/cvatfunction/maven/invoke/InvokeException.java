package io.cvatfunction.maven.invoke;

/** An invocation that cannot be made or failed; the message says what was wrong and how to fix it. */
public final class InvokeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what was wrong and what to do about it */
  public InvokeException(String message) {
    super(message);
  }

  /**
   * @param message what was wrong and what to do about it
   * @param cause the underlying failure
   */
  public InvokeException(String message, Throwable cause) {
    super(message, cause);
  }
}
