package io.cvatfunction.runtime.image;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns nvJPEG's planes into the model's input with one CUDA kernel ({@code frame-to-input.cu}): libjpeg's chroma
 * upsampling and colour conversion, OpenCV's bilinear resize and Ultralytics' padding and scaling, computed per
 * input pixel without a full-size intermediate. Done as tensor operations, the same steps took about 55 kernel
 * launches and about 2.4 ms per 1080p frame on an H200.
 *
 * <p>The kernel is compiled once, at load, by NVRTC — the runtime compiler libtorch's CUDA build ships beside
 * {@code libtorch_cuda.so} — for the device's architecture, and launched through the CUDA driver on the legacy
 * default stream, after nvJPEG's decode and before the model's forward pass.
 */
final class FrameKernel {

  private static final String SOURCE = "frame-to-input.cu";
  private static final String FUNCTION = "frameToInput";
  private static final int BLOCK_WIDTH = 32;
  private static final int BLOCK_HEIGHT = 8;

  private final CudaDriver cuda;
  private final int device;
  private final Pointer context;
  private final Pointer module;
  private final Pointer function;

  private FrameKernel(CudaDriver cuda, int device, Pointer context, Pointer module, Pointer function) {
    this.cuda = cuda;
    this.device = device;
    this.context = context;
    this.module = module;
    this.function = function;
  }

  /**
   * Compiles and loads the kernel for {@code device}.
   *
   * @param nvrtcLibrary the NVRTC library file; {@code null}: the one beside the loaded {@code libtorch_cuda.so}
   */
  static FrameKernel open(Device device, String nvrtcLibrary) throws GpuUnavailableException {
    CudaDriver cuda;
    try {
      cuda = CudaDriver.load();
    } catch (UnsatisfiedLinkError e) {
      throw new GpuUnavailableException("the CUDA driver library (libcuda.so.1) could not be loaded: "
          + e.getMessage(), e);
    }
    check(cuda, cuda.cuInit(0), "cuInit");
    IntByReference handle = new IntByReference();
    check(cuda, cuda.cuDeviceGet(handle, device.getDeviceId()), "cuDeviceGet");
    int ordinal = handle.getValue();
    IntByReference major = new IntByReference();
    IntByReference minor = new IntByReference();
    check(cuda, cuda.cuDeviceGetAttribute(major, CudaDriver.COMPUTE_CAPABILITY_MAJOR, ordinal), "cuDeviceGetAttribute");
    check(cuda, cuda.cuDeviceGetAttribute(minor, CudaDriver.COMPUTE_CAPABILITY_MINOR, ordinal), "cuDeviceGetAttribute");
    byte[] ptx = compile(loadNvrtc(nvrtcLibrary), major.getValue() * 10 + minor.getValue());
    PointerByReference context = new PointerByReference();
    check(cuda, cuda.cuDevicePrimaryCtxRetain(context, ordinal), "cuDevicePrimaryCtxRetain");
    try {
      check(cuda, cuda.cuCtxSetCurrent(context.getValue()), "cuCtxSetCurrent");
      PointerByReference module = new PointerByReference();
      check(cuda, cuda.cuModuleLoadData(module, ptx), "cuModuleLoadData");
      PointerByReference function = new PointerByReference();
      int status = cuda.cuModuleGetFunction(function, module.getValue(), FUNCTION);
      if (status != CudaDriver.SUCCESS) {
        cuda.cuModuleUnload(module.getValue());
        check(cuda, status, "cuModuleGetFunction");
      }
      return new FrameKernel(cuda, ordinal, context.getValue(), module.getValue(), function.getValue());
    } catch (GpuUnavailableException e) {
      cuda.cuDevicePrimaryCtxRelease_v2(ordinal);
      throw e;
    }
  }

  /**
   * Queues the kernel that writes the model input {@code [1, 3, dstHeight, dstWidth]} for {@code planes}
   * letterboxed by {@code box}; the planes may be closed as soon as this returns (the caching allocator hands
   * their memory only to work queued after the kernel).
   */
  NDArray toInput(JpegPlanes planes, LetterBox box, NDManager manager) {
    NDArray input = manager.create(new Shape(1, 3, box.dstHeight(), box.dstWidth()), DataType.FLOAT32);
    Pointer cb = null;
    Pointer cr = null;
    if (planes.chroma() != null) {
      cb = DeviceMemory.address(planes.chroma());
      cr = cb.share((long) planes.chromaWidth() * planes.chromaHeight());
    }
    // frameToInput's parameters in order; cuLaunchKernel takes a pointer to each value, an 8-byte slot here
    Object[] list = {DeviceMemory.address(planes.luma()), cb, cr, planes.width(), planes.height(),
        planes.chromaWidth(), planes.chromaHeight(), planes.horizontalShift(), planes.verticalShift(),
        DeviceMemory.address(input), box.dstWidth(), box.dstHeight(), box.resizedWidth(), box.resizedHeight(),
        box.left(), box.top()};
    try (Memory values = new Memory(8L * list.length); Memory arguments = new Memory(8L * list.length)) {
      for (int i = 0; i < list.length; i++) {
        long offset = 8L * i;
        if (list[i] instanceof Integer value) {
          values.setInt(offset, value);
        } else {
          values.setPointer(offset, (Pointer) list[i]);
        }
        arguments.setPointer(offset, values.share(offset));
      }
      int gridWidth = (box.dstWidth() + BLOCK_WIDTH - 1) / BLOCK_WIDTH;
      int gridHeight = (box.dstHeight() + BLOCK_HEIGHT - 1) / BLOCK_HEIGHT;
      int status = cuda.cuCtxSetCurrent(context); // a no-op on threads where it is current already
      if (status == CudaDriver.SUCCESS) {
        status = cuda.cuLaunchKernel(function, gridWidth, gridHeight, 1, BLOCK_WIDTH, BLOCK_HEIGHT, 1, 0, null,
            arguments, null);
      }
      if (status != CudaDriver.SUCCESS) {
        input.close();
        throw new IllegalStateException("the frame kernel could not be launched: " + errorName(cuda, status));
      }
    }
    return input;
  }

  /**
   * Whether the device's context still works: a kernel that faults breaks the whole context (the model's too), and
   * the fault shows only at the next synchronisation.
   */
  boolean contextWorks() {
    return makeContextCurrent() && cuda.cuCtxSynchronize() == CudaDriver.SUCCESS;
  }

  /**
   * Makes the device's context current on this thread, as libtorch does only where it allocates or copies (not where
   * its caching allocator has the memory already): nvJPEG's JPEG engine makes a thread's decoder state through the
   * driver, which fails on a thread without a current context. Cheap where it is current already.
   */
  boolean makeContextCurrent() {
    return cuda.cuCtxSetCurrent(context) == CudaDriver.SUCCESS;
  }

  /** Unloads the kernel once the work queued before is done; call when no request uses it any more. */
  void close() {
    if (contextWorks()) {
      cuda.cuModuleUnload(module);
    }
    cuda.cuDevicePrimaryCtxRelease_v2(device);
  }

  /** PTX for the highest architecture both the device and this NVRTC know; the driver compiles it for the device. */
  private static byte[] compile(Nvrtc nvrtc, int deviceArchitecture) throws GpuUnavailableException {
    IntByReference count = new IntByReference();
    check(nvrtc, nvrtc.nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
    int[] known = new int[count.getValue()];
    check(nvrtc, nvrtc.nvrtcGetSupportedArchs(known), "nvrtcGetSupportedArchs");
    int architecture = Arrays.stream(known).filter(a -> a <= deviceArchitecture).max()
        .orElseThrow(() -> new GpuUnavailableException("this NVRTC knows no architecture up to the GPU's sm_"
            + deviceArchitecture, null));
    PointerByReference program = new PointerByReference();
    check(nvrtc, nvrtc.nvrtcCreateProgram(program, source(), SOURCE, 0, null, null), "nvrtcCreateProgram");
    try {
      String[] options = {"--gpu-architecture=compute_" + architecture, "--fmad=false"};
      int status = nvrtc.nvrtcCompileProgram(program.getValue(), options.length, options);
      if (status != Nvrtc.SUCCESS) {
        throw new GpuUnavailableException("NVRTC could not compile " + SOURCE + ": " + nvrtc.nvrtcGetErrorString(status)
            + "\n" + log(nvrtc, program.getValue()), null);
      }
      LongByReference size = new LongByReference();
      check(nvrtc, nvrtc.nvrtcGetPTXSize(program.getValue(), size), "nvrtcGetPTXSize");
      byte[] ptx = new byte[(int) size.getValue()];
      check(nvrtc, nvrtc.nvrtcGetPTX(program.getValue(), ptx), "nvrtcGetPTX");
      return ptx;
    } finally {
      nvrtc.nvrtcDestroyProgram(program);
    }
  }

  private static String log(Nvrtc nvrtc, Pointer program) {
    LongByReference size = new LongByReference();
    if (nvrtc.nvrtcGetProgramLogSize(program, size) != Nvrtc.SUCCESS) {
      return "";
    }
    byte[] log = new byte[(int) size.getValue()];
    nvrtc.nvrtcGetProgramLog(program, log);
    return new String(log, StandardCharsets.UTF_8).trim();
  }

  static String source() {
    try (InputStream in = FrameKernel.class.getResourceAsStream(SOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SOURCE + " is missing from the runtime's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * NVRTC from {@code explicit}, or from libtorch's directory. libtorch renames its copy and the builtins library
   * NVRTC opens by soname ({@code libnvrtc-builtins.so.12.1}); loading that file first lets the dynamic loader find
   * it already loaded under that soname.
   */
  static Nvrtc loadNvrtc(String explicit) throws GpuUnavailableException {
    Optional<Path> named = GpuLibraries.named("CVAT_NVRTC_LIBRARY", explicit);
    Path library;
    if (named.isPresent()) {
      library = named.get();
    } else {
      Path directory = GpuLibraries.libtorchDirectory().orElseThrow(() -> new GpuUnavailableException(
          "libtorch's CUDA build is not loaded: no NVRTC to compile the frame kernel with", null));
      library = find(directory, "libnvrtc-", "libnvrtc-builtins");
      Path builtins = find(directory, "libnvrtc-builtins", null);
      try {
        NativeLibrary.getInstance(builtins.toString());
      } catch (UnsatisfiedLinkError e) {
        throw new GpuUnavailableException("NVRTC's builtins " + builtins + " could not be loaded: " + e.getMessage(), e);
      }
    }
    try {
      return Nvrtc.load(library.toString());
    } catch (UnsatisfiedLinkError e) {
      throw new GpuUnavailableException("NVRTC " + library + " could not be loaded: " + e.getMessage(), e);
    }
  }

  private static Path find(Path directory, String prefix, String notPrefix) throws GpuUnavailableException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> {
        String name = file.getFileName().toString();
        return name.startsWith(prefix) && (notPrefix == null || !name.startsWith(notPrefix)) && name.contains(".so");
      }).sorted().findFirst().orElseThrow(() -> new GpuUnavailableException("no " + prefix + "*.so in " + directory
          + " (libtorch's CUDA build ships NVRTC there; or name the file with CVAT_NVRTC_LIBRARY)", null));
    } catch (IOException e) {
      throw new GpuUnavailableException("cannot list " + directory + ": " + e, e);
    }
  }

  private static void check(CudaDriver cuda, int status, String call) throws GpuUnavailableException {
    if (status != CudaDriver.SUCCESS) {
      throw new GpuUnavailableException(call + " failed: " + errorName(cuda, status), null);
    }
  }

  private static void check(Nvrtc nvrtc, int status, String call) throws GpuUnavailableException {
    if (status != Nvrtc.SUCCESS) {
      throw new GpuUnavailableException(call + " failed: " + nvrtc.nvrtcGetErrorString(status), null);
    }
  }

  static String errorName(CudaDriver cuda, int status) {
    PointerByReference name = new PointerByReference();
    return cuda.cuGetErrorName(status, name) == CudaDriver.SUCCESS ? name.getValue().getString(0) : "CUDA error " + status;
  }
}
