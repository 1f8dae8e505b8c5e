package io.cvatfunction.runtime.image;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * nvJPEG as {@link GpuJpegDecoder} calls it, in Java, for machines without a GPU: what each backend does is set by
 * the test, every object it hands out is tracked until it is destroyed, and a decode fills each output plane with a
 * value naming the backend and the channel ({@link #value}), written through the destination's pointers and pitches
 * into the (CPU) tensors the decoder gave it.
 */
final class FakeNvJpeg implements NvJpegLibrary {

  /** Status codes the fake answers with: nvJPEG's own. */
  static final int ALLOCATOR_FAILURE = 5;
  static final int BAD_JPEG = 3;
  static final int EXECUTION_FAILED = 6;
  static final int ARCH_MISMATCH = 7;

  /** A decode's phases, one of which a backend may be told to fail. */
  enum Phase { HOST, TRANSFER, DEVICE }

  /** What one backend does; the test changes it between decodes. */
  static final class Backend {
    volatile boolean made = true;
    volatile boolean supports = true;
    volatile boolean statesFail;
    volatile Phase fails;
  }

  final Map<Integer, Backend> backends = Map.of(BACKEND_HARDWARE, new Backend(), BACKEND_GPU_HYBRID, new Backend(),
      BACKEND_HYBRID, new Backend());
  /** Whether a handle for the JPEG engine can be made (not on a GPU without one). */
  volatile boolean engineHandle = true;
  volatile boolean parseFails; // every stream is refused, as a stream nvJPEG cannot parse
  volatile boolean deviceBuffersRefused; // no state takes a device buffer
  /** The image every stream is: components, subsampling, luma size. */
  volatile int components = 3;
  volatile int subsampling = CSS_420;
  volatile int width = 16;
  volatile int height = 10;

  private final AtomicLong next = new AtomicLong(0x1000);
  private final Map<Long, String> live = new ConcurrentHashMap<>(); // object → its kind
  private final Map<Long, Integer> decoderBackends = new ConcurrentHashMap<>();
  private final List<String> misuse = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> decodedBy = Collections.synchronizedList(new ArrayList<>());

  /** The value a decode by {@code backend} writes into output channel {@code channel}. */
  static byte value(int backend, int channel) {
    return (byte) (backend * 16 + channel);
  }

  /** The objects of {@code kind} ({@code "stream"}, {@code "state"}, ...) made and not yet destroyed. */
  long live(String kind) {
    return live.values().stream().filter(kind::equals).count();
  }

  /** Everything made and not yet destroyed. */
  int liveObjects() {
    return live.size();
  }

  /** Calls with objects that were never made or already destroyed, or of the wrong kind. */
  List<String> misuse() {
    return List.copyOf(misuse);
  }

  /** The backends that completed a decode, in order. */
  List<Integer> decodedBy() {
    return List.copyOf(decodedBy);
  }

  private int make(String kind, PointerByReference out) {
    long id = next.getAndAdd(16);
    live.put(id, kind);
    out.setValue(new Pointer(id));
    return SUCCESS;
  }

  private int destroy(String kind, Pointer object) {
    if (!kind.equals(live.remove(Pointer.nativeValue(object)))) {
      misuse.add("destroyed a " + kind + " that was not a live one: " + object);
    }
    return SUCCESS;
  }

  private void use(String kind, Pointer object) {
    if (object == null || !kind.equals(live.get(Pointer.nativeValue(object)))) {
      misuse.add("used a " + kind + " that was not a live one: " + object);
    }
  }

  private Backend backendOf(Pointer decoder) {
    use("decoder", decoder);
    return backends.get(decoderBackends.get(Pointer.nativeValue(decoder)));
  }

  @Override
  public int nvjpegGetProperty(int type, IntByReference value) {
    value.setValue(type == MAJOR_VERSION ? 12 : 4);
    return SUCCESS;
  }

  @Override
  public int nvjpegCreateSimple(PointerByReference handle) {
    return make("handle", handle);
  }

  @Override
  public int nvjpegCreateEx(int backend, Pointer deviceAllocator, Pointer pinnedAllocator, int flags,
      PointerByReference handle) {
    return backend == BACKEND_HARDWARE && !engineHandle ? ARCH_MISMATCH : make("handle", handle);
  }

  @Override
  public int nvjpegDestroy(Pointer handle) {
    return destroy("handle", handle);
  }

  @Override
  public int nvjpegGetImageInfo(Pointer handle, Pointer data, long length, IntByReference components,
      IntByReference subsampling, int[] widths, int[] heights) {
    use("handle", handle);
    components.setValue(this.components);
    subsampling.setValue(this.subsampling);
    int across = this.subsampling == CSS_420 || this.subsampling == CSS_422 ? 1 : 0;
    int down = this.subsampling == CSS_420 ? 1 : 0;
    for (int c = 0; c < this.components; c++) {
      widths[c] = c == 0 ? width : (width + across) >> across;
      heights[c] = c == 0 ? height : (height + down) >> down;
    }
    return SUCCESS;
  }

  @Override
  public int nvjpegDecoderCreate(Pointer handle, int backend, PointerByReference decoder) {
    use("handle", handle);
    if (!backends.get(backend).made) {
      return ARCH_MISMATCH;
    }
    make("decoder", decoder);
    decoderBackends.put(Pointer.nativeValue(decoder.getValue()), backend);
    return SUCCESS;
  }

  @Override
  public int nvjpegDecoderDestroy(Pointer decoder) {
    return destroy("decoder", decoder);
  }

  @Override
  public int nvjpegDecoderStateCreate(Pointer handle, Pointer decoder, PointerByReference state) {
    use("handle", handle);
    return backendOf(decoder).statesFail ? ALLOCATOR_FAILURE : make("state", state);
  }

  @Override
  public int nvjpegJpegStateDestroy(Pointer state) {
    return destroy("state", state);
  }

  @Override
  public int nvjpegBufferPinnedCreate(Pointer handle, Pointer allocator, PointerByReference buffer) {
    use("handle", handle);
    return make("pinned buffer", buffer);
  }

  @Override
  public int nvjpegBufferPinnedDestroy(Pointer buffer) {
    return destroy("pinned buffer", buffer);
  }

  @Override
  public int nvjpegBufferDeviceCreate(Pointer handle, Pointer allocator, PointerByReference buffer) {
    use("handle", handle);
    return make("device buffer", buffer);
  }

  @Override
  public int nvjpegBufferDeviceDestroy(Pointer buffer) {
    return destroy("device buffer", buffer);
  }

  @Override
  public int nvjpegStateAttachPinnedBuffer(Pointer state, Pointer buffer) {
    use("state", state);
    use("pinned buffer", buffer);
    return SUCCESS;
  }

  @Override
  public int nvjpegStateAttachDeviceBuffer(Pointer state, Pointer buffer) {
    use("state", state);
    use("device buffer", buffer);
    return deviceBuffersRefused ? ALLOCATOR_FAILURE : SUCCESS;
  }

  @Override
  public int nvjpegJpegStreamCreate(Pointer handle, PointerByReference stream) {
    use("handle", handle);
    return make("stream", stream);
  }

  @Override
  public int nvjpegJpegStreamDestroy(Pointer stream) {
    return destroy("stream", stream);
  }

  @Override
  public int nvjpegJpegStreamParse(Pointer handle, Pointer data, long length, int saveMetadata, int saveStream,
      Pointer stream) {
    use("handle", handle);
    use("stream", stream);
    return parseFails ? BAD_JPEG : SUCCESS;
  }

  @Override
  public int nvjpegDecodeParamsCreate(Pointer handle, PointerByReference params) {
    use("handle", handle);
    return make("params", params);
  }

  @Override
  public int nvjpegDecodeParamsDestroy(Pointer params) {
    return destroy("params", params);
  }

  @Override
  public int nvjpegDecodeParamsSetOutputFormat(Pointer params, int outputFormat) {
    use("params", params);
    if (outputFormat != (components == 1 ? OUTPUT_Y : OUTPUT_YUV)) {
      misuse.add("output format " + outputFormat + " for " + components + " components");
    }
    return SUCCESS;
  }

  @Override
  public int nvjpegDecoderJpegSupported(Pointer decoder, Pointer stream, Pointer params, IntByReference supported) {
    use("stream", stream);
    use("params", params);
    supported.setValue(backendOf(decoder).supports ? 0 : 1);
    return SUCCESS;
  }

  @Override
  public int nvjpegDecodeJpegHost(Pointer handle, Pointer decoder, Pointer state, Pointer params, Pointer stream) {
    use("handle", handle);
    use("state", state);
    use("params", params);
    use("stream", stream);
    return backendOf(decoder).fails == Phase.HOST ? EXECUTION_FAILED : SUCCESS;
  }

  @Override
  public int nvjpegDecodeJpegTransferToDevice(Pointer handle, Pointer decoder, Pointer state, Pointer stream,
      Pointer cudaStream) {
    use("handle", handle);
    use("state", state);
    use("stream", stream);
    return backendOf(decoder).fails == Phase.TRANSFER ? EXECUTION_FAILED : SUCCESS;
  }

  @Override
  public int nvjpegDecodeJpegDevice(Pointer handle, Pointer decoder, Pointer state, Image destination,
      Pointer cudaStream) {
    use("handle", handle);
    use("state", state);
    if (backendOf(decoder).fails == Phase.DEVICE) {
      return EXECUTION_FAILED;
    }
    int backend = decoderBackends.get(Pointer.nativeValue(decoder));
    int[] widths = new int[MAX_COMPONENTS];
    int[] heights = new int[MAX_COMPONENTS];
    nvjpegGetImageInfo(handle, null, 0, new IntByReference(), new IntByReference(), widths, heights);
    for (int c = 0; c < components; c++) {
      if (destination.pitch[c] < widths[c]) {
        misuse.add("channel " + c + "'s pitch " + destination.pitch[c] + " is under its width " + widths[c]);
      }
      destination.channel[c].setMemory(0, destination.pitch[c] * heights[c], value(backend, c));
    }
    decodedBy.add(backend);
    return SUCCESS;
  }
}
