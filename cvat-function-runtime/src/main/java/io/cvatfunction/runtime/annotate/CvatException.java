package io.cvatfunction.runtime.annotate;

/** Why CVAT could not be read or written, in one line that says what to do about it. */
public class CvatException extends Exception {

  private static final long serialVersionUID = 1L;

  /** A problem described by {@code message}. */
  public CvatException(String message) {
    super(message);
  }

  /** A problem described by {@code message}, caused by {@code cause}. */
  public CvatException(String message, Throwable cause) {
    super(message, cause);
  }
}
