package io.cvatfunction.runtime;

/**
 * The device can no longer serve: a sticky CUDA error broke its context, or a forward pass did not return in time.
 * No later request can succeed in this process; the function server stops answering {@code /ready} and {@code
 * /live} with 200 and exits, so that Docker's restart policy or Kubernetes starts a fresh one.
 */
public final class DeviceFault extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DeviceFault(String message, Throwable cause) {
    super(message, cause);
  }
}
