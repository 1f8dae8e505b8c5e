package io.cvatfunction.runtime.annotate;

/** A write that was sent, whose answer was lost, and which CVAT could not be asked about: it may have been applied. */
public final class UnconfirmedWriteException extends CvatException {

  private static final long serialVersionUID = 1L;

  /** A write described by {@code message}. */
  public UnconfirmedWriteException(String message) {
    super(message);
  }
}
