package io.cvatfunction.runtime.image;

/** The GPU frame path cannot serve this process; the message says why and how to fix it. */
public final class GpuUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  GpuUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
