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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes JPEG frames with NVIDIA's nvJPEG straight into tensors on the model's GPU: the decoder writes the Y, Cb
 * and Cr planes into the memory of uint8 tensors, which {@link FrameKernel} turns into the model input as libjpeg
 * and OpenCV would, so the full-size frame never crosses PCIe and never exists on the host. Frames nvJPEG cannot
 * present as OpenCV would (EXIF-rotated, RGB or CMYK samples, rare subsamplings, anything it refuses) are left to
 * the CPU decoder, which then gives the answer or the error.
 *
 * <p>nvJPEG's decoupled API, with a decoder per backend: a frame goes to the first that supports and decodes it —
 * the GPU's JPEG engine where it has one (A100, H100 and their kin; baseline frames), then the GPU-assisted Huffman
 * decoder (after the CPU-assisted one for frames of up to a megapixel), then the CPU-assisted one (progressive
 * frames). The single-call API ended the process ({@code
 * std::terminate}) when a decoder state was made while a device fault was pending; this one answers an error status
 * there, and its decodes answer 0 or an error, never end the process: the model's next synchronisation reports the
 * fault. Freeing nvJPEG's objects after a fault may never return, which {@link GpuFramePath#close} avoids.
 *
 * <p>Thread-safe: the handle and decoders are shared; each thread that decodes has its own {@link Workspace}, as
 * nvJPEG requires. A decode is queued on the CUDA default stream, the stream DJL's PyTorch runs on, so the tensor
 * operations that follow see the decoded pixels without a host synchronisation — and the workspace's buffers may
 * still be in use when the last call returns. A workspace handed to another thread then could be overwritten under
 * the queued work; a thread's own workspace is used again only by its next request, after this one read its outputs
 * back to the host (and so after the decode's work ended). A workspace holds buffers sized to the largest frame it
 * decoded, and a state per backend it used (each with nvJPEG's own allocations): one workspace per thread that
 * decoded, kept until close.
 *
 * <p>The library is {@code libnvjpeg.so.12} (CUDA 12, any 12.x driver): {@code CVAT_NVJPEG_LIBRARY} names the
 * file; otherwise it is looked up beside the loaded libtorch CUDA build (where the image puts it) and on the
 * system's library path.
 */
final class GpuJpegDecoder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GpuJpegDecoder.class);
  private static final String SONAME = "libnvjpeg.so.12";
  /** nvJPEG's backends, in the order a frame tries them. */
  private static final Map<String, Integer> BACKENDS = orderedBackends();
  /**
   * Frames of up to this many pixels try GPU Huffman only after CPU Huffman: on small frames its GPU work costs more
   * than it saves (the threshold DALI's nvJPEG decoder uses by default).
   */
  private static final long GPU_HUFFMAN_MIN_PIXELS = 1_000_000;

  private final NvJpegLibrary nvjpeg;
  private final Pointer handle;
  private final List<Backend> backends;
  private final FrameDecoder rules;
  private final String version;
  private final LongAdder[] decoded; // frames, by backend
  // The backends in use, in the order a frame tries them; fewer after {@link #retain}
  private volatile int[] largeFrameOrder;
  private volatile int[] smallFrameOrder;
  private final ThreadLocal<Workspace> threadWorkspace = new ThreadLocal<>();
  private final Set<Workspace> workspaces = ConcurrentHashMap.newKeySet(); // every thread's, to free at close
  private final Set<String> failuresLogged = ConcurrentHashMap.newKeySet(); // "decoder: failure", each logged once

  /** One of nvJPEG's decoders. */
  private record Backend(String name, int backend, Pointer decoder) {}

  private GpuJpegDecoder(NvJpegLibrary nvjpeg, Pointer handle, List<Backend> backends, FrameDecoder rules,
      String version) {
    this.nvjpeg = nvjpeg;
    this.handle = handle;
    this.backends = backends;
    this.decoded = Stream.generate(LongAdder::new).limit(backends.size()).toArray(LongAdder[]::new);
    this.largeFrameOrder = IntStream.range(0, backends.size()).toArray();
    // The same with GPU Huffman moved to the end (a stable sort), after CPU Huffman, which takes the same frames
    this.smallFrameOrder = IntStream.range(0, backends.size()).boxed()
        .sorted(Comparator.comparing(i -> backends.get(i).backend() == NvJpegLibrary.BACKEND_GPU_HYBRID))
        .mapToInt(Integer::intValue).toArray();
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
    return open(loadLibrary(library), device, rules);
  }

  /** Opens the given nvJPEG, already loaded, for a model on {@code device}. */
  static GpuJpegDecoder open(NvJpegLibrary nvjpeg, Device device, FrameDecoder rules) throws GpuUnavailableException {
    IntByReference major = new IntByReference();
    IntByReference minor = new IntByReference();
    if (nvjpeg.nvjpegGetProperty(NvJpegLibrary.MAJOR_VERSION, major) != NvJpegLibrary.SUCCESS
        || nvjpeg.nvjpegGetProperty(NvJpegLibrary.MINOR_VERSION, minor) != NvJpegLibrary.SUCCESS
        || major.getValue() != 12) {
      throw new GpuUnavailableException("nvJPEG " + major.getValue() + "." + minor.getValue()
          + " is not the CUDA 12 nvJPEG this runtime binds to (libnvjpeg.so.12)", null);
    }
    PointerByReference handle = new PointerByReference();
    // A handle made for the JPEG engine, where the GPU has one; the other backends' decoders are made from it too
    int status = nvjpeg.nvjpegCreateEx(NvJpegLibrary.BACKEND_HARDWARE, null, null, 0, handle);
    if (status != NvJpegLibrary.SUCCESS) {
      status = nvjpeg.nvjpegCreateSimple(handle);
    }
    if (status != NvJpegLibrary.SUCCESS) {
      throw new GpuUnavailableException("nvJPEG could not start on " + device + ": "
          + NvJpegLibrary.statusName(status) + " (is the NVIDIA driver visible to this process?)", null);
    }
    List<Backend> backends = new ArrayList<>();
    BACKENDS.forEach((name, backend) -> {
      PointerByReference decoder = new PointerByReference();
      if (nvjpeg.nvjpegDecoderCreate(handle.getValue(), backend, decoder) == NvJpegLibrary.SUCCESS) {
        backends.add(new Backend(name, backend, decoder.getValue()));
      }
    });
    if (backends.isEmpty()) {
      nvjpeg.nvjpegDestroy(handle.getValue());
      throw new GpuUnavailableException("nvJPEG could make none of its decoders (" + String.join(", ",
          BACKENDS.keySet()) + ") on " + device, null);
    }
    return new GpuJpegDecoder(nvjpeg, handle.getValue(), List.copyOf(backends), rules,
        major.getValue() + "." + minor.getValue());
  }

  private static Map<String, Integer> orderedBackends() {
    Map<String, Integer> backends = new LinkedHashMap<>();
    backends.put("JPEG engine", NvJpegLibrary.BACKEND_HARDWARE);
    backends.put("GPU Huffman", NvJpegLibrary.BACKEND_GPU_HYBRID);
    backends.put("CPU Huffman", NvJpegLibrary.BACKEND_HYBRID);
    return Collections.unmodifiableMap(backends);
  }

  /** nvJPEG's version and the decoders in use, in the order frames try them, for the logs and {@code /ready}. */
  String description() {
    return version + " (" + String.join(", ", decoders()) + ")";
  }

  /** The decoders in use, by name, in the order (large) frames try them. */
  List<String> decoders() {
    return Arrays.stream(largeFrameOrder).mapToObj(i -> backends.get(i).name()).toList();
  }

  /**
   * From now on frames go only to the decoders named (those proven on test frames); the others are left unused.
   *
   * @throws IllegalArgumentException when none of the decoders in use is named
   */
  void retain(Collection<String> names) {
    IntPredicate kept = i -> names.contains(backends.get(i).name());
    int[] large = Arrays.stream(largeFrameOrder).filter(kept).toArray();
    if (large.length == 0) {
      throw new IllegalArgumentException("none of nvJPEG's decoders in use (" + String.join(", ", decoders())
          + ") is among " + names);
    }
    smallFrameOrder = Arrays.stream(smallFrameOrder).filter(kept).toArray();
    largeFrameOrder = large;
  }

  /** How many frames each decoder in use has decoded so far, by its name, in the order frames try them. */
  Map<String, Long> framesDecoded() {
    Map<String, Long> frames = new LinkedHashMap<>();
    for (int i : largeFrameOrder) {
      frames.put(backends.get(i).name(), decoded[i].sum());
    }
    return frames;
  }

  /**
   * Decodes a JPEG into its planes on the manager's GPU, or returns {@code null} when the CPU decoder must take this
   * frame.
   *
   * @throws BadRequestException when the CPU decoder would refuse the frame (checked before decoding)
   */
  JpegPlanes decode(byte[] jpeg, NDManager manager) throws BadRequestException {
    return decode(jpeg, manager, null);
  }

  /**
   * Decodes a test frame with the decoder named alone, as {@link #decode} would if that decoder came first; not
   * counted in {@link #framesDecoded}. Returns {@code null} when that decoder does not take or decode the frame.
   */
  JpegPlanes decodeWith(String name, byte[] jpeg, NDManager manager) throws BadRequestException {
    int[] only = IntStream.range(0, backends.size()).filter(i -> backends.get(i).name().equals(name)).toArray();
    if (only.length == 0) {
      throw new IllegalArgumentException("no nvJPEG decoder is called " + name + ": " + decoders());
    }
    return decode(jpeg, manager, only);
  }

  /** {@code order}: the backends to try, in turn, not counted; {@code null}: those in use, counted. */
  private JpegPlanes decode(byte[] jpeg, NDManager manager, int[] order) throws BadRequestException {
    rules.check(jpeg); // the CPU decoder's rules: the same frames are refused, with the same answers
    if (JpegSegments.openCvOnlyReason(jpeg, true) != null) {
      return null;
    }
    try (Memory data = new Memory(jpeg.length)) { // one copy to native memory for every call (JNA copies arrays)
      data.write(0, jpeg, 0, jpeg.length);
      return decode(data, jpeg.length, manager, order);
    }
  }

  private JpegPlanes decode(Pointer jpeg, long length, NDManager manager, int[] order) {
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
    Workspace work = workspace();
    if (work == null) {
      logOnce("before any decoder", "this thread's nvJPEG workspace could not be made", widths[0], heights[0]);
      return null;
    }
    int status = nvjpeg.nvjpegJpegStreamParse(handle, jpeg, length, 0, 0, work.stream());
    if (status == NvJpegLibrary.SUCCESS) {
      status = nvjpeg.nvjpegDecodeParamsSetOutputFormat(work.params(), grey ? NvJpegLibrary.OUTPUT_Y
          : NvJpegLibrary.OUTPUT_YUV);
    }
    if (status != NvJpegLibrary.SUCCESS) { // a stream nvJPEG cannot parse, or an output it refuses
      logOnce("before any decoder", "nvjpegJpegStreamParse or nvjpegDecodeParamsSetOutputFormat "
          + NvJpegLibrary.statusName(status), widths[0], heights[0]);
      return null;
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
    // The first decoder that takes the frame and decodes it: another writes the whole destination again.
    int[] tried = order != null ? order
        : (long) widths[0] * heights[0] > GPU_HUFFMAN_MIN_PIXELS ? largeFrameOrder : smallFrameOrder;
    for (int i : tried) {
      if (!work.supports(i)) {
        continue;
      }
      String failure = decodes(i, work, destination);
      if (failure == null) {
        if (order == null) {
          decoded[i].increment();
        }
        return planes;
      }
      logOnce(backends.get(i).name(), failure, widths[0], heights[0]);
    }
    planes.close();
    return null;
  }

  /**
   * Decodes the parsed stream into {@code destination} with backend {@code i}: {@code null}, or what failed (the
   * call and its status).
   */
  private String decodes(int i, Workspace work, NvJpegLibrary.Image destination) {
    String failure = work.makeState(i);
    Pointer state = work.state(i);
    Pointer decoder = backends.get(i).decoder();
    if (failure == null) {
      failure = failed("nvjpegDecodeJpegHost",
          nvjpeg.nvjpegDecodeJpegHost(handle, decoder, state, work.params(), work.stream()));
    }
    if (failure == null) {
      failure = failed("nvjpegDecodeJpegTransferToDevice",
          nvjpeg.nvjpegDecodeJpegTransferToDevice(handle, decoder, state, work.stream(), null));
    }
    if (failure == null) {
      failure = failed("nvjpegDecodeJpegDevice",
          nvjpeg.nvjpegDecodeJpegDevice(handle, decoder, state, destination, null));
    }
    return failure;
  }

  /** {@code null} when {@code status} is success, else the call and its status. */
  private static String failed(String call, int status) {
    return status == NvJpegLibrary.SUCCESS ? null : call + " " + NvJpegLibrary.statusName(status);
  }

  /**
   * A decoder that took a frame and failed it, or nvJPEG before any decoder, says so, once for each decoder and
   * failure (a fault fails them all).
   */
  private void logOnce(String decoder, String failure, int width, int height) {
    if (failuresLogged.add(decoder + ": " + failure)) {
      LOG.warn("nvJPEG failed a {}x{} frame ({}: {}); such frames go to the next decoder, or to the CPU (logged once"
          + " for each decoder and failure)", width, height, decoder, failure);
    }
  }

  /** The failures logged so far, each as "decoder: failure". */
  Set<String> failuresLogged() {
    return Collections.unmodifiableSet(failuresLogged);
  }

  /** This thread's workspace, made on its first frame; {@code null} when nvJPEG could not make one. */
  private Workspace workspace() {
    Workspace work = threadWorkspace.get();
    if (work == null) {
      work = new Workspace();
      if (!work.make()) {
        work.free();
        return null;
      }
      threadWorkspace.set(work);
      workspaces.add(work);
    }
    return work;
  }

  /**
   * What nvJPEG needs per decoding thread: the parsed stream, the decode parameters, pinned and device buffers, and a
   * decoder state per backend (made when the thread first uses that backend; the buffers serve them all).
   */
  private final class Workspace {

    private final PointerByReference stream = new PointerByReference();
    private final PointerByReference params = new PointerByReference();
    private final PointerByReference pinned = new PointerByReference();
    private final PointerByReference device = new PointerByReference();
    private final Pointer[] states = new Pointer[backends.size()];

    /** Makes the thread's objects; whether all could be made (those that were are freed by {@link #free}). */
    boolean make() {
      return nvjpeg.nvjpegJpegStreamCreate(handle, stream) == NvJpegLibrary.SUCCESS
          && nvjpeg.nvjpegDecodeParamsCreate(handle, params) == NvJpegLibrary.SUCCESS
          && nvjpeg.nvjpegBufferPinnedCreate(handle, null, pinned) == NvJpegLibrary.SUCCESS
          && nvjpeg.nvjpegBufferDeviceCreate(handle, null, device) == NvJpegLibrary.SUCCESS;
    }

    Pointer stream() {
      return stream.getValue();
    }

    Pointer params() {
      return params.getValue();
    }

    /** Whether backend {@code i} can decode the parsed stream. */
    boolean supports(int i) {
      IntByReference supported = new IntByReference();
      return nvjpeg.nvjpegDecoderJpegSupported(backends.get(i).decoder(), stream(), params(), supported)
          == NvJpegLibrary.SUCCESS && supported.getValue() == 0;
    }

    /**
     * Makes the state for backend {@code i} and gives it the buffers, on the thread's first frame for that backend:
     * {@code null} once it is there, else the call that failed and its status.
     */
    String makeState(int i) {
      if (states[i] != null) {
        return null;
      }
      PointerByReference made = new PointerByReference();
      String failure = failed("nvjpegDecoderStateCreate",
          nvjpeg.nvjpegDecoderStateCreate(handle, backends.get(i).decoder(), made));
      if (failure != null) {
        return failure;
      }
      Pointer state = made.getValue();
      failure = failed("nvjpegStateAttachPinnedBuffer", nvjpeg.nvjpegStateAttachPinnedBuffer(state, pinned.getValue()));
      if (failure == null) {
        failure = failed("nvjpegStateAttachDeviceBuffer",
            nvjpeg.nvjpegStateAttachDeviceBuffer(state, device.getValue()));
      }
      if (failure != null) {
        nvjpeg.nvjpegJpegStateDestroy(state);
        return failure;
      }
      states[i] = state;
      return null;
    }

    /** The state for backend {@code i}, once {@link #makeState} made it. */
    Pointer state(int i) {
      return states[i];
    }

    void free() {
      for (Pointer state : states) {
        if (state != null) {
          nvjpeg.nvjpegJpegStateDestroy(state);
        }
      }
      if (stream.getValue() != null) {
        nvjpeg.nvjpegJpegStreamDestroy(stream.getValue());
      }
      if (params.getValue() != null) {
        nvjpeg.nvjpegDecodeParamsDestroy(params.getValue());
      }
      if (pinned.getValue() != null) {
        nvjpeg.nvjpegBufferPinnedDestroy(pinned.getValue());
      }
      if (device.getValue() != null) {
        nvjpeg.nvjpegBufferDeviceDestroy(device.getValue());
      }
    }
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

  /**
   * Frees every thread's workspace, the decoders and the handle; call once no thread decodes and the device's queued
   * work ended — and only while the device's context works: nvJPEG freeing a state after a fault can wait forever.
   */
  @Override
  public void close() {
    workspaces.forEach(Workspace::free);
    workspaces.clear();
    backends.forEach(backend -> nvjpeg.nvjpegDecoderDestroy(backend.decoder()));
    nvjpeg.nvjpegDestroy(handle);
  }
}
