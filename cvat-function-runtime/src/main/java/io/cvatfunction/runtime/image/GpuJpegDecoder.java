package io.cvatfunction.runtime.image;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.cvatfunction.runtime.BadRequestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Decodes JPEG frames with NVIDIA's nvJPEG straight into tensors on the model's GPU: the decoder writes the Y, Cb
 * and Cr planes into the memory of uint8 tensors, and {@link LibjpegColour} turns them into RGB as libjpeg would,
 * so the full-size frame never crosses PCIe and never exists on the host. Frames nvJPEG cannot present as OpenCV
 * would (grey, EXIF-rotated, RGB or CMYK samples, rare subsamplings, anything it refuses) are left to the CPU decoder,
 * which then gives the answer or the error.
 *
 * <p>Thread-safe: one nvJPEG handle is shared; each decode borrows a decoder state from a pool (a state holds
 * buffers sized to the largest frame it decoded, so the pool reaches the number of concurrent requests and
 * stays there). Decoding is queued on the CUDA default stream, the stream DJL's PyTorch runs on, so the
 * tensor operations that follow see the decoded pixels without a host synchronisation.
 *
 * <p>The library is {@code libnvjpeg.so.12} (CUDA 12, any 12.x driver): {@code CVAT_NVJPEG_LIBRARY} names the
 * file; otherwise it is looked up beside libtorch ({@code PYTORCH_LIBRARY_PATH}, where the image puts it) and
 * on the system's library path.
 */
public final class GpuJpegDecoder implements AutoCloseable {

  private static final String SONAME = "libnvjpeg.so.12";

  private final NvJpegLibrary nvjpeg;
  private final Pointer handle;
  private final FrameDecoder rules;
  private final String version;
  private final ConcurrentLinkedQueue<Pointer> idleStates = new ConcurrentLinkedQueue<>();

  /** nvJPEG cannot serve this process; the message says why and how to fix it. */
  public static final class UnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private GpuJpegDecoder(NvJpegLibrary nvjpeg, Pointer handle, FrameDecoder rules, String version) {
    this.nvjpeg = nvjpeg;
    this.handle = handle;
    this.rules = rules;
    this.version = version;
  }

  /**
   * Opens nvJPEG for a model on {@code device} and proves the whole path on a small test frame.
   *
   * @param rules the CPU decoder, whose checks (structure, pixel limit) apply to GPU-decoded frames too
   * @param manager a manager on {@code device}, for the test frame
   * @throws UnavailableException when nvJPEG cannot decode frames for this device
   */
  public static GpuJpegDecoder open(Device device, FrameDecoder rules, NDManager manager) throws UnavailableException {
    return open(device, rules, manager, System.getenv("CVAT_NVJPEG_LIBRARY"));
  }

  /** Same, with the library file named ({@code null}: looked up by name). */
  static GpuJpegDecoder open(Device device, FrameDecoder rules, NDManager manager, String library)
      throws UnavailableException {
    if (!device.isGpu() || device.getDeviceId() != 0) {
      throw new UnavailableException("nvJPEG decodes on the first visible GPU, the model is on " + device
          + " (make its GPU the only visible one with NVIDIA_VISIBLE_DEVICES or CUDA_VISIBLE_DEVICES)", null);
    }
    NvJpegLibrary nvjpeg = loadLibrary(library);
    IntByReference major = new IntByReference();
    IntByReference minor = new IntByReference();
    if (nvjpeg.nvjpegGetProperty(NvJpegLibrary.MAJOR_VERSION, major) != NvJpegLibrary.SUCCESS
        || nvjpeg.nvjpegGetProperty(NvJpegLibrary.MINOR_VERSION, minor) != NvJpegLibrary.SUCCESS
        || major.getValue() != 12) {
      throw new UnavailableException("nvJPEG " + major.getValue() + "." + minor.getValue()
          + " is not the CUDA 12 nvJPEG this runtime binds to (libnvjpeg.so.12)", null);
    }
    PointerByReference handle = new PointerByReference();
    int status = nvjpeg.nvjpegCreateSimple(handle);
    if (status != NvJpegLibrary.SUCCESS) {
      throw new UnavailableException("nvJPEG could not start on " + device + ": "
          + NvJpegLibrary.statusName(status) + " (is the NVIDIA driver visible to this process?)", null);
    }
    GpuJpegDecoder decoder = new GpuJpegDecoder(nvjpeg, handle.getValue(), rules,
        major.getValue() + "." + minor.getValue());
    try {
      decoder.selfTest(manager);
      return decoder;
    } catch (UnavailableException | RuntimeException | Error e) {
      decoder.close();
      throw e instanceof UnavailableException u ? u
          : new UnavailableException("nvJPEG failed its test frame on " + device + ": " + e, e);
    }
  }

  /** nvJPEG's version, {@code major.minor}. */
  public String version() {
    return version;
  }

  /**
   * Decodes a JPEG into RGB pixels, a float tensor {@code [3, height, width]} of whole values in [0, 255] on the
   * manager's GPU, or returns {@code null} when the CPU decoder must take this frame.
   *
   * @throws BadRequestException when the CPU decoder would refuse the frame (checked before decoding)
   */
  public NDArray decode(byte[] jpeg, NDManager manager) throws BadRequestException {
    rules.check(jpeg); // the CPU decoder's rules: the same frames are refused, with the same answers
    IntByReference components = new IntByReference();
    IntByReference subsampling = new IntByReference();
    int[] widths = new int[NvJpegLibrary.MAX_COMPONENTS];
    int[] heights = new int[NvJpegLibrary.MAX_COMPONENTS];
    if (nvjpeg.nvjpegGetImageInfo(handle, jpeg, jpeg.length, components, subsampling, widths, heights)
        != NvJpegLibrary.SUCCESS || JpegSegments.cpuOnlyReason(jpeg) != null) {
      return null;
    }
    LibjpegColour.Subsampling chroma = switch (subsampling.getValue()) {
      case NvJpegLibrary.CSS_444 -> LibjpegColour.Subsampling.NONE;
      case NvJpegLibrary.CSS_422 -> LibjpegColour.Subsampling.HORIZONTAL;
      case NvJpegLibrary.CSS_420 -> LibjpegColour.Subsampling.BOTH;
      // Grey frames: once decoded here, one parity check failed on a grey 2x-downscaled frame although nvJPEG's
      // luma equals libjpeg's; the resize rounding fixed since is the likely cause, not yet shown on a GPU, so
      // they stay with OpenCV. 4:4:0, 4:1:1: rare.
      default -> null;
    };
    if (components.getValue() != 3 || chroma == null) {
      return null; // grey, CMYK, YCCK and rare subsamplings: libjpeg on the CPU
    }
    NDArray luma = manager.create(new Shape(heights[0], widths[0]), DataType.UINT8);
    NDArray chromaPlanes = manager.create(new Shape(2, heights[1], widths[1]), DataType.UINT8);
    NvJpegLibrary.Image destination = new NvJpegLibrary.Image();
    destination.channel[0] = DeviceMemory.address(luma);
    destination.pitch[0] = widths[0];
    Pointer cb = DeviceMemory.address(chromaPlanes);
    destination.channel[1] = cb;
    destination.channel[2] = cb.share((long) widths[1] * heights[1]);
    destination.pitch[1] = widths[1];
    destination.pitch[2] = widths[1];
    Pointer state = borrowState();
    int status;
    try {
      status = nvjpeg.nvjpegDecode(handle, state, jpeg, jpeg.length, NvJpegLibrary.OUTPUT_YUV, destination, null);
    } finally {
      idleStates.offer(state);
    }
    if (status != NvJpegLibrary.SUCCESS) {
      luma.close();
      chromaPlanes.close();
      return null;
    }
    return LibjpegColour.toRgb(luma, chromaPlanes, chroma);
  }

  private Pointer borrowState() {
    Pointer state = idleStates.poll();
    if (state != null) {
      return state;
    }
    PointerByReference created = new PointerByReference();
    int status = nvjpeg.nvjpegJpegStateCreate(handle, created);
    if (status != NvJpegLibrary.SUCCESS) {
      throw new IllegalStateException("nvJPEG could not create a decoder state: " + NvJpegLibrary.statusName(status));
    }
    return created.getValue();
  }

  /** Decodes a small JPEG made by OpenCV and compares it with OpenCV's decode of the same bytes. */
  private void selfTest(NDManager manager) throws UnavailableException {
    OpenCv.load();
    Mat bgr = new Mat(48, 64, CvType.CV_8UC3, new Scalar(40, 120, 200));
    MatOfByte encoded = new MatOfByte();
    try {
      Imgcodecs.imencode(".jpg", bgr, encoded);
      byte[] jpeg = encoded.toArray();
      NDArray rgb;
      try {
        rgb = decode(jpeg, manager);
      } catch (BadRequestException e) {
        throw new UnavailableException("the test frame was refused: " + e.getMessage(), e);
      }
      if (rgb == null) {
        throw new UnavailableException("nvJPEG refused a baseline test frame", null);
      }
      try {
        float[] pixels = rgb.toFloatArray();
        int[] expected = {200, 120, 40}; // R, G, B planes of the BGR colour above
        for (int c = 0; c < 3; c++) {
          float value = pixels[c * 48 * 64 + 48 * 64 / 2];
          if (Math.abs(value - expected[c]) > 3) {
            throw new UnavailableException("nvJPEG decoded the test frame wrong: channel " + c + " is " + value
                + ", expected " + expected[c], null);
          }
        }
      } finally {
        rgb.close();
      }
    } finally {
      bgr.release();
      encoded.release();
    }
  }

  private static NvJpegLibrary loadLibrary(String explicit) throws UnavailableException {
    if (explicit != null && !explicit.isBlank()) {
      if (!Files.isRegularFile(Path.of(explicit))) {
        throw new UnavailableException("CVAT_NVJPEG_LIBRARY names " + explicit + ", which is not a file", null);
      }
      return load(explicit);
    }
    String libtorch = System.getenv("PYTORCH_LIBRARY_PATH");
    if (libtorch != null && !libtorch.isBlank()) {
      NativeLibrary.addSearchPath(SONAME, libtorch);
    }
    return load(SONAME); // by its soname: dlopen finds it on LD_LIBRARY_PATH and in ld.so's cache too
  }

  private static NvJpegLibrary load(String location) throws UnavailableException {
    try {
      return NvJpegLibrary.load(location);
    } catch (UnsatisfiedLinkError e) {
      throw new UnavailableException("nvJPEG (" + SONAME + ") could not be loaded: " + firstLine(e.getMessage())
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

  @Override
  public void close() {
    for (Pointer state = idleStates.poll(); state != null; state = idleStates.poll()) {
      nvjpeg.nvjpegJpegStateDestroy(state);
    }
    nvjpeg.nvjpegDestroy(handle);
  }
}
