package io.cvatfunction.runtime;

/** A request the function cannot answer because of what the client sent; it becomes a 4xx JSON error. */
public class BadRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  /** A 400 with a message that says what was wrong and how to fix it. */
  public BadRequestException(String message) {
    this(400, message);
  }

  /** A client error with its own HTTP status, e.g. 413 for an image over the pixel limit. */
  public BadRequestException(int status, String message) {
    super(message);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a client error status is 4xx, got " + status);
    }
    this.status = status;
  }

  /** The HTTP status the client gets. */
  public int status() {
    return status;
  }
}
