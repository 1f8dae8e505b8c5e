package io.cvatfunction.runtime.image;

import ai.djl.Device;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Optional;

/**
 * Whether a GPU's CUDA context still works. A kernel that faults (an illegal address, a failed launch, a device-side
 * assert) leaves a sticky error in the context that libtorch, nvJPEG and the frame kernel share: every later call
 * fails with it, and only a new process gets a working context.
 */
public final class CudaContext {

  private CudaContext() {}

  /**
   * The sticky error of {@code device}'s primary context, or empty when the context works (or the driver cannot be
   * asked). Waits for the work queued on the device: call it after a failure, not on every request.
   */
  public static Optional<String> stickyError(Device device) {
    if (!device.isGpu()) {
      return Optional.empty();
    }
    CudaDriver cuda;
    try {
      cuda = CudaDriver.load();
    } catch (UnsatisfiedLinkError e) {
      return Optional.empty();
    }
    IntByReference ordinal = new IntByReference();
    PointerByReference context = new PointerByReference();
    if (cuda.cuInit(0) != CudaDriver.SUCCESS || cuda.cuDeviceGet(ordinal, device.getDeviceId()) != CudaDriver.SUCCESS) {
      return Optional.of("the CUDA driver no longer answers for " + device);
    }
    int status = cuda.cuDevicePrimaryCtxRetain(context, ordinal.getValue());
    if (status != CudaDriver.SUCCESS) {
      return Optional.of(FrameKernel.errorName(cuda, status));
    }
    try {
      status = cuda.cuCtxSetCurrent(context.getValue());
      if (status == CudaDriver.SUCCESS) {
        status = cuda.cuCtxSynchronize();
      }
      return status == CudaDriver.SUCCESS ? Optional.empty() : Optional.of(FrameKernel.errorName(cuda, status));
    } finally {
      cuda.cuDevicePrimaryCtxRelease_v2(ordinal.getValue());
    }
  }
}
