package io.cvatfunction.runtime.image;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Pointer;
import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.RequestTrace.Stage;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a frame file into the model's input on the model's device, as Ultralytics' predict does: decode,
 * letterbox, BGR to RGB, HWC to CHW, /255. On a GPU, JPEG frames take the GPU path (nvJPEG, then
 * {@link FrameKernel}); everything else — other formats, JPEGs nvJPEG leaves to the CPU, CPU models — is decoded
 * and letterboxed by OpenCV and uploaded as uint8. Both paths give the same input: the GPU path proves it on test
 * frames before it serves.
 */
public final class FramePreprocessor implements FrameInput {

  private static final Logger LOG = LoggerFactory.getLogger(FramePreprocessor.class);
  private static final Scalar PAD = new Scalar(114, 114, 114);

  static {
    OpenCv.load();
  }

  private final FrameDecoder cpuDecoder;
  private final GpuFramePath gpu;
  private final int inputWidth;
  private final int inputHeight;

  private FramePreprocessor(FrameDecoder cpuDecoder, GpuFramePath gpu, int inputWidth, int inputHeight) {
    this.cpuDecoder = cpuDecoder;
    this.gpu = gpu;
    this.inputWidth = inputWidth;
    this.inputHeight = inputHeight;
  }

  /**
   * A preprocessor for a model input of {@code inputWidth × inputHeight}. With {@code decoder} {@code auto} and a
   * model on a GPU, JPEG frames are decoded there by nvJPEG when it works, else by OpenCV; the log says which decoder
   * serves and why. With {@code gpu}, a GPU path that cannot be made is an error instead of a fall-back, for users
   * who want to know.
   *
   * @param decoder {@code auto}, {@code gpu} or {@code cpu}
   * @param manager a manager on the model's device (for nvJPEG's test frame)
   */
  public static FramePreprocessor create(FrameDecoder cpuDecoder, int inputWidth, int inputHeight, String decoder,
      NDManager manager) {
    String choice = decoder == null ? "auto" : decoder.trim().toLowerCase(java.util.Locale.ROOT);
    if (!choice.equals("auto") && !choice.equals("gpu") && !choice.equals("cpu")) {
      throw new IllegalArgumentException("unknown decoder '" + decoder + "': use auto (nvJPEG on the model's GPU when"
          + " it works, else OpenCV), gpu (nvJPEG, or the function does not load) or cpu (OpenCV)");
    }
    Device device = manager.getDevice();
    GpuFramePath gpu = null;
    if (choice.equals("gpu") && !device.isGpu()) {
      throw new IllegalArgumentException("cvat.decoder=gpu, but the model is on the CPU: give it a GPU"
          + " (cvat.device=gpu) or let the decoder follow the model (cvat.decoder=auto)");
    }
    if (choice.equals("cpu") || !device.isGpu()) {
      LOG.info("Frames are decoded on the CPU by {} ({})", cpuDecoder.description(),
          choice.equals("cpu") ? "cvat.decoder=cpu" : "CPU model");
    } else {
      try {
        gpu = GpuFramePath.open(device, cpuDecoder, manager);
        LOG.info("JPEG frames are decoded on {} by nvJPEG {}, {}; other frames on the CPU by {}", device,
            gpu.nvJpegDescription(), gpu.proof(), cpuDecoder.description());
        gpu.unusedDecoders().forEach(unused -> LOG.warn("nvJPEG's decoder {}; it is not used: the frames it would"
            + " take go to the next decoder or to OpenCV", unused));
      } catch (GpuUnavailableException | LinkageError | RuntimeException e) { // reflection into DJL included
        String why = e instanceof GpuUnavailableException ? e.getMessage() : e.toString();
        if (choice.equals("gpu")) {
          throw new IllegalStateException("cvat.decoder=gpu, but nvJPEG cannot decode on " + device + ": " + why, e);
        }
        LOG.warn("Frames are decoded on the CPU by {}, not on {}: {}", cpuDecoder.description(), device, why);
      }
    }
    return new FramePreprocessor(cpuDecoder, gpu, inputWidth, inputHeight);
  }

  @Override
  public String decoder() {
    return gpu == null ? cpuDecoder.description() : "nvJPEG " + gpu.nvJpegDescription();
  }

  @Override
  public Map<String, Long> framesDecoded() {
    Map<String, Long> frames = new LinkedHashMap<>(gpu == null ? Map.of() : gpu.framesDecoded());
    frames.putAll(cpuDecoder.framesDecoded());
    return frames;
  }

  /** Whether JPEG frames are decoded on the GPU. */
  public boolean decodesOnGpu() {
    return gpu != null;
  }

  @Override
  public ModelInput prepare(byte[] encoded, NDManager manager, RequestTrace trace) throws BadRequestException {
    if (gpu != null && FrameDecoder.isJpeg(encoded)) {
      try (JpegPlanes planes = gpu.decode(encoded, manager)) {
        if (planes != null) {
          trace.lap(Stage.DECODE);
          LetterBox box = letterBox(planes.width(), planes.height());
          NDArray batch = gpu.toInput(planes, box, manager);
          trace.lap(Stage.LETTERBOX);
          return new ModelInput(batch, box);
        }
      }
    }
    Mat bgr = cpuDecoder.decode(encoded);
    trace.lap(Stage.DECODE);
    LetterBox box = letterBox(bgr.cols(), bgr.rows());
    NDArray batch = cpuInput(bgr, box, manager);
    trace.lap(Stage.LETTERBOX);
    return new ModelInput(batch, box);
  }

  /** OpenCV's letterbox of a decoded frame, uploaded; releases the frame. */
  static NDArray cpuInput(Mat bgr, LetterBox box, NDManager manager) {
    try {
      Mat padded = letterbox(bgr, box);
      try {
        return upload(manager, padded);
      } finally {
        padded.release();
      }
    } finally {
      bgr.release();
    }
  }

  private LetterBox letterBox(int width, int height) {
    return LetterBox.of(width, height, inputWidth, inputHeight);
  }

  private static Mat letterbox(Mat bgr, LetterBox box) {
    Mat resized = bgr;
    if (box.resizedWidth() != bgr.cols() || box.resizedHeight() != bgr.rows()) {
      resized = new Mat();
      Imgproc.resize(bgr, resized, new Size(box.resizedWidth(), box.resizedHeight()), 0, 0, Imgproc.INTER_LINEAR);
    }
    Mat padded = new Mat();
    Core.copyMakeBorder(resized, padded, box.top(), box.bottom(), box.left(), box.right(), Core.BORDER_CONSTANT, PAD);
    if (resized != bgr) {
      resized.release();
    }
    return padded;
  }

  /**
   * Uploads letterboxed uint8 BGR pixels (a quarter of the bytes of float32) as RGB planes, one after another
   * (Ultralytics' BGR to RGB and HWC to CHW, in one pass by OpenCV), and divides by 255 in float on the model's device:
   * a contiguous batch of one, the layout Ultralytics gives the model.
   */
  static NDArray upload(NDManager manager, Mat input) {
    int height = input.rows();
    int width = input.cols();
    Mat planes = new Mat(3 * height, width, CvType.CV_8UC1);
    List<Mat> rgb = List.of(planes.rowRange(0, height), planes.rowRange(height, 2 * height),
        planes.rowRange(2 * height, 3 * height));
    MatOfInt rgbFromBgr = new MatOfInt(2, 0, 1, 1, 0, 2); // pairs: from BGR channel, to plane
    try {
      Core.mixChannels(List.of(input), rgb, rgbFromBgr);
      // A view of OpenCV's buffer, which the tensor may share (on the CPU): toType makes the copy that outlives it.
      ByteBuffer pixels = new Pointer(planes.dataAddr()).getByteBuffer(0, 3L * height * width);
      try (NDArray chw = manager.create(pixels, new Shape(1, 3, height, width), DataType.UINT8)) {
        return chw.toType(DataType.FLOAT32, false).divi(255f);
      }
    } finally {
      rgb.forEach(Mat::release);
      planes.release();
      rgbFromBgr.release();
    }
  }

  @Override
  public void close() {
    if (gpu != null) {
      gpu.close();
    }
  }
}
