package io.cvatfunction.runtime.image;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;

/**
 * The part of the CUDA driver API ({@code libcuda.so.1}, installed with the NVIDIA driver) that loads a compiled
 * module into the device's primary context — the context the CUDA runtime, and so libtorch, uses — and launches
 * its kernels on the legacy default stream, where libtorch and nvJPEG queue their work.
 */
interface CudaDriver extends Library {

  int SUCCESS = 0;
  /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR}. */
  int COMPUTE_CAPABILITY_MAJOR = 75;
  int COMPUTE_CAPABILITY_MINOR = 76;

  int cuInit(int flags);

  int cuDeviceGet(IntByReference device, int ordinal);

  int cuDeviceGetAttribute(IntByReference value, int attribute, int device);

  int cuDevicePrimaryCtxRetain(PointerByReference context, int device);

  /** The release cuda.h names {@code cuDevicePrimaryCtxRelease} since CUDA 11 (the plain symbol is the old one). */
  int cuDevicePrimaryCtxRelease_v2(int device);

  int cuCtxSetCurrent(Pointer context);

  int cuCtxSynchronize();

  int cuModuleLoadData(PointerByReference module, byte[] image);

  int cuModuleUnload(Pointer module);

  int cuModuleGetFunction(PointerByReference function, Pointer module, String name);

  int cuLaunchKernel(Pointer function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
      int sharedMemBytes, Pointer stream, Pointer kernelParams, Pointer extra);

  int cuGetErrorName(int error, PointerByReference name);

  /** Loads the driver library by its soname. */
  static CudaDriver load() {
    return Native.load("libcuda.so.1", CudaDriver.class, Map.of(Library.OPTION_CLASSLOADER,
        CudaDriver.class.getClassLoader()));
  }
}
