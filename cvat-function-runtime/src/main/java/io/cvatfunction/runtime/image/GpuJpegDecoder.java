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
import com.sun.jna.ptr.PointerByReference;
import io.cvatfunction.runtime.BadRequestException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes JPEG frames with NVIDIA's nvJPEG straight into tensors on the model's GPU: the decoder writes the Y, Cb
 * and Cr planes into the memory of uint8 tensors, which {@link FrameKernel} turns into the model input as libjpeg
 * and OpenCV would, so the full-size frame never crosses PCIe and never exists on the host. Frames nvJPEG cannot
 * present as OpenCV would (EXIF-rotated, RGB or CMYK samples, rare subsamplings, anything it refuses) are left to
 * the CPU decoder, which then gives the answer or the error.
 *
 * <p>Thread-safe: one nvJPEG handle is shared; each thread that decodes has its own decoder state. A decode is
 * queued on the CUDA default stream, the stream DJL's PyTorch runs on, so the tensor operations that follow see the
 * decoded pixels without a host synchronisation — and its state's buffers may still be in use when {@code
 * nvjpegDecode} returns. A state handed to another thread then could be overwritten under the queued work; a
 * thread's own state is used again only by its next request, after this one read its outputs back to the host (and
 * so after the decode's work ended). A state holds buffers sized to the largest frame it decoded: at most one such
 * set per worker thread.
 *
 * <p>The library is {@code libnvjpeg.so.12} (CUDA 12, any 12.x driver): {@code CVAT_NVJPEG_LIBRARY} names the
 * file; otherwise it is looked up beside the loaded libtorch CUDA build (where the image puts it) and on the
 * system's library path.
 */
final class GpuJpegDecoder implements AutoCloseable {

  private static final String SONAME = "libnvjpeg.so.12";

  private final NvJpegLibrary nvjpeg;
  private final Pointer handle;
  private final FrameDecoder rules;
  private final String version;
  private final ThreadLocal<Pointer> threadState = new ThreadLocal<>();
  private final Set<Pointer> states = ConcurrentHashMap.newKeySet(); // every thread's, to free at close

  private GpuJpegDecoder(NvJpegLibrary nvjpeg, Pointer handle, FrameDecoder rules, String version) {
    this.nvjpeg = nvjpeg;
    this.handle = handle;
    this.rules = rules;
    this.version = version;
  }

  /**
   * Opens nvJPEG for a model on {@code device}.
   *
   * @param rules the CPU decoder, whose checks (structure, pixel limit) apply to GPU-decoded frames too
   * @param library the library file; {@code null}: looked up by name
   * @throws GpuUnavailableException when nvJPEG cannot decode frames for this device
   */
  static GpuJpegDecoder open(Device device, FrameDecoder rules, String library) throws GpuUnavailableException {
    if (!device.isGpu() || device.getDeviceId() != 0) {
      throw new GpuUnavailableException("nvJPEG decodes on the first visible GPU, the model is on " + device
          + " (make its GPU the only visible one with NVIDIA_VISIBLE_DEVICES or CUDA_VISIBLE_DEVICES)", null);
    }
    NvJpegLibrary nvjpeg = loadLibrary(library);
    IntByReference major = new IntByReference();
    IntByReference minor = new IntByReference();
    if (nvjpeg.nvjpegGetProperty(NvJpegLibrary.MAJOR_VERSION, major) != NvJpegLibrary.SUCCESS
        || nvjpeg.nvjpegGetProperty(NvJpegLibrary.MINOR_VERSION, minor) != NvJpegLibrary.SUCCESS
        || major.getValue() != 12) {
      throw new GpuUnavailableException("nvJPEG " + major.getValue() + "." + minor.getValue()
          + " is not the CUDA 12 nvJPEG this runtime binds to (libnvjpeg.so.12)", null);
    }
    PointerByReference handle = new PointerByReference();
    int status = nvjpeg.nvjpegCreateSimple(handle);
    if (status != NvJpegLibrary.SUCCESS) {
      throw new GpuUnavailableException("nvJPEG could not start on " + device + ": "
          + NvJpegLibrary.statusName(status) + " (is the NVIDIA driver visible to this process?)", null);
    }
    return new GpuJpegDecoder(nvjpeg, handle.getValue(), rules, major.getValue() + "." + minor.getValue());
  }

  /** nvJPEG's version, {@code major.minor}. */
  String version() {
    return version;
  }

  /**
   * Decodes a JPEG into its planes on the manager's GPU, or returns {@code null} when the CPU decoder must take this
   * frame.
   *
   * @throws BadRequestException when the CPU decoder would refuse the frame (checked before decoding)
   */
  JpegPlanes decode(byte[] jpeg, NDManager manager) throws BadRequestException {
    rules.check(jpeg); // the CPU decoder's rules: the same frames are refused, with the same answers
    if (JpegSegments.cpuOnlyReason(jpeg) != null) {
      return null;
    }
    try (Memory data = new Memory(jpeg.length)) { // one copy to native memory for both calls (JNA copies arrays per call)
      data.write(0, jpeg, 0, jpeg.length);
      return decode(data, jpeg.length, manager);
    }
  }

  private JpegPlanes decode(Pointer jpeg, long length, NDManager manager) {
    IntByReference components = new IntByReference();
    IntByReference subsampling = new IntByReference();
    int[] widths = new int[NvJpegLibrary.MAX_COMPONENTS];
    int[] heights = new int[NvJpegLibrary.MAX_COMPONENTS];
    if (nvjpeg.nvjpegGetImageInfo(handle, jpeg, length, components, subsampling, widths, heights)
        != NvJpegLibrary.SUCCESS) {
      return null;
    }
    boolean grey = components.getValue() == 1 && subsampling.getValue() == NvJpegLibrary.CSS_GRAY;
    int[] shifts = switch (subsampling.getValue()) {
      case NvJpegLibrary.CSS_444, NvJpegLibrary.CSS_GRAY -> new int[] {0, 0};
      case NvJpegLibrary.CSS_422 -> new int[] {1, 0};
      case NvJpegLibrary.CSS_420 -> new int[] {1, 1};
      default -> null; // 4:4:0, 4:1:1: rare, and libjpeg upsamples them in ways the kernel does not repeat
    };
    if (shifts == null || !(grey || components.getValue() == 3)) {
      return null; // CMYK, YCCK and rare subsamplings: libjpeg on the CPU
    }
    if (!grey && (widths[1] != (widths[0] + shifts[0]) >> shifts[0] || heights[1] != (heights[0] + shifts[1]) >> shifts[1]
        || widths[2] != widths[1] || heights[2] != heights[1])) {
      return null; // chroma planes not of libjpeg's sizes, which the kernel reads by
    }
    NDArray luma = manager.create(new Shape(heights[0], widths[0]), DataType.UINT8);
    NDArray chroma = grey ? null : manager.create(new Shape(2, heights[1], widths[1]), DataType.UINT8);
    JpegPlanes planes = new JpegPlanes(luma, chroma, shifts[0], shifts[1]);
    NvJpegLibrary.Image destination = new NvJpegLibrary.Image();
    destination.channel[0] = DeviceMemory.address(luma);
    destination.pitch[0] = widths[0];
    if (!grey) {
      Pointer cb = DeviceMemory.address(chroma);
      destination.channel[1] = cb;
      destination.channel[2] = cb.share((long) widths[1] * heights[1]);
      destination.pitch[1] = widths[1];
      destination.pitch[2] = widths[1];
    }
    Pointer state;
    try {
      state = threadState();
    } catch (IllegalStateException e) {
      planes.close();
      return null; // no decoder state for this thread (GPU memory?): the CPU decodes it
    }
    int status = nvjpeg.nvjpegDecode(handle, state, jpeg, length,
        grey ? NvJpegLibrary.OUTPUT_Y : NvJpegLibrary.OUTPUT_YUV, destination, null);
    if (status != NvJpegLibrary.SUCCESS) {
      planes.close();
      return null;
    }
    return planes;
  }

  private Pointer threadState() {
    Pointer state = threadState.get();
    if (state != null) {
      return state;
    }
    PointerByReference created = new PointerByReference();
    int status = nvjpeg.nvjpegJpegStateCreate(handle, created);
    if (status != NvJpegLibrary.SUCCESS) {
      throw new IllegalStateException("nvJPEG could not create a decoder state: " + NvJpegLibrary.statusName(status));
    }
    threadState.set(created.getValue());
    states.add(created.getValue());
    return created.getValue();
  }

  private static NvJpegLibrary loadLibrary(String explicit) throws GpuUnavailableException {
    Optional<Path> named = GpuLibraries.named("CVAT_NVJPEG_LIBRARY", explicit);
    if (named.isPresent()) {
      return load(named.get().toString());
    }
    Optional<Path> libtorch = GpuLibraries.libtorchDirectory();
    if (libtorch.isPresent()) {
      NativeLibrary.addSearchPath(SONAME, libtorch.get().toString());
    }
    return load(SONAME); // by its soname: dlopen finds it on LD_LIBRARY_PATH and in ld.so's cache too
  }

  private static NvJpegLibrary load(String location) throws GpuUnavailableException {
    try {
      return NvJpegLibrary.load(location);
    } catch (UnsatisfiedLinkError e) {
      throw new GpuUnavailableException("nvJPEG (" + SONAME + ") could not be loaded: " + firstLine(e.getMessage())
          + ". cvat:image puts it beside libtorch; elsewhere install CUDA 12's nvJPEG or name the file with"
          + " CVAT_NVJPEG_LIBRARY", e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** Frees every thread's state and the handle; call once no thread decodes and the device's queued work ended. */
  @Override
  public void close() {
    states.forEach(nvjpeg::nvjpegJpegStateDestroy);
    states.clear();
    nvjpeg.nvjpegDestroy(handle);
  }
}
