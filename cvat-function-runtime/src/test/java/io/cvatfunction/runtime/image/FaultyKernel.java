package io.cvatfunction.runtime.image;

import ai.djl.Device;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * A kernel that writes to an address no allocation holds, as a broken kernel would: the device's context gets a sticky
 * illegal-address error, which the next synchronisation (libtorch's, nvJPEG's, the frame kernel's) reports. For the
 * fault tests on a GPU machine.
 */
public final class FaultyKernel {

  // Hand-written PTX, so that no compiler is needed: the driver compiles it for the device.
  private static final String PTX = """
      .version 7.0
      .target sm_50
      .address_size 64
      .visible .entry writeToAddress16()
      {
        .reg .b64 %rd<2>;
        .reg .b32 %r<2>;
        mov.u64 %rd1, 16;
        mov.u32 %r1, 1;
        st.global.u32 [%rd1], %r1;
        ret;
      }
      """;

  private FaultyKernel() {}

  /** Launches the kernel on {@code device}'s primary context, the one libtorch uses, and returns at once. */
  public static void launch(Device device) {
    CudaDriver cuda = CudaDriver.load();
    IntByReference ordinal = new IntByReference();
    PointerByReference context = new PointerByReference();
    PointerByReference module = new PointerByReference();
    PointerByReference function = new PointerByReference();
    check(cuda, cuda.cuInit(0));
    check(cuda, cuda.cuDeviceGet(ordinal, device.getDeviceId()));
    check(cuda, cuda.cuDevicePrimaryCtxRetain(context, ordinal.getValue()));
    check(cuda, cuda.cuCtxSetCurrent(context.getValue()));
    check(cuda, cuda.cuModuleLoadData(module, (PTX + "\0").getBytes(StandardCharsets.US_ASCII)));
    check(cuda, cuda.cuModuleGetFunction(function, module.getValue(), "writeToAddress16"));
    check(cuda, cuda.cuLaunchKernel(function.getValue(), 1, 1, 1, 1, 1, 1, 0, null, null, null));
  }

  private static void check(CudaDriver cuda, int status) {
    if (status != CudaDriver.SUCCESS) {
      throw new IllegalStateException("the faulty kernel could not be launched: " + FrameKernel.errorName(cuda, status));
    }
  }
}
