package io.cvatfunction.runtime.yolo;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.sun.jna.Pointer;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.RequestTrace.Stage;
import io.cvatfunction.runtime.image.LetterBox;
import io.cvatfunction.runtime.image.OpenCv;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * An Ultralytics TorchScript export loaded with DJL's PyTorch engine, with Ultralytics' predict pipeline
 * around it: letterbox, forward, head decoding and NMS, boxes mapped back to the frame.
 *
 * <p>Thread-safe: worker threads share one instance; each call scopes its tensors in its own
 * {@link NDManager}, closed before it returns, so no native memory outlives a request.
 */
public final class YoloModel implements AutoCloseable {

  private static final Scalar PAD = new Scalar(114, 114, 114);

  static {
    OpenCv.load();
  }

  private final Model model;
  private final ModelMetadata metadata;
  private final boolean endToEnd;

  private YoloModel(Model model, ModelMetadata metadata, boolean endToEnd) {
    this.model = model;
    this.metadata = metadata;
    this.endToEnd = endToEnd;
  }

  /**
   * Loads a TorchScript file on a device and reads its metadata. Nothing is downloaded: DJL runs in
   * offline mode unless the caller set {@code ai.djl.offline} itself.
   */
  public static YoloModel load(Path file, Device device) throws IOException, MalformedModelException {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    Model model = Model.newInstance(file.getFileName().toString(), device, "PyTorch");
    try {
      // mapLocation remaps the traced constants (anchors, strides) to the device; extraFiles exposes config.txt.
      model.load(file, null, Map.of("mapLocation", "true", "extraFiles", "config.txt"));
      String config = model.getProperty("config.txt");
      if (config == null || config.isBlank()) {
        throw new MalformedModelException(file + " has no config.txt metadata: export it with Ultralytics ("
            + "yolo export model=best.pt format=torchscript)");
      }
      ModelMetadata metadata = ModelMetadata.parse(config);
      YoloModel yolo = new YoloModel(model, metadata, false);
      boolean endToEnd = metadata.end2end() != null
          ? metadata.end2end()
          : HeadDecoder.looksEndToEnd(yolo.outputShape());
      return new YoloModel(model, metadata, endToEnd);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The model's own description of itself. */
  public ModelMetadata metadata() {
    return metadata;
  }

  /** Whether the head is NMS-free. */
  public boolean isEndToEnd() {
    return endToEnd;
  }

  /** The device the model runs on. */
  public Device device() {
    return model.getNDManager().getDevice();
  }

  /**
   * Finds objects in a BGR frame.
   *
   * @param bgr an 8-bit, 3-channel BGR frame (as OpenCV decodes it)
   * @param threshold keep detections scoring strictly above this
   * @param trace stage timings
   */
  public List<Detection> predict(Mat bgr, float threshold, RequestTrace trace) {
    LetterBox letterBox = LetterBox.of(bgr.cols(), bgr.rows(), metadata.inputWidth(), metadata.inputHeight());
    Mat input = letterbox(bgr, letterBox);
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray batch = toTensor(manager, input);
      trace.lap(Stage.LETTERBOX);
      NDList outputs = forward(manager, batch);
      trace.lap(Stage.FORWARD);
      HeadDecoder.Boxes boxes = endToEnd
          ? HeadDecoder.decodeEndToEnd(outputs.get(0), threshold)
          : HeadDecoder.decodeRaw(outputs.get(0), metadata.classCount(), threshold);
      float[] frameBoxes = boxes.boxes().clone();
      letterBox.mapToFrame(frameBoxes, boxes.count(), 4);
      InstanceMask[] masks = metadata.isSegmentation() && outputs.size() > 1
          ? MaskDecoder.decode(manager, outputs.get(1), boxes, frameBoxes, letterBox)
          : new InstanceMask[boxes.count()];
      List<Detection> detections = new ArrayList<>(boxes.count());
      for (int i = 0; i < boxes.count(); i++) {
        int classId = boxes.classes()[i];
        if (classId < 0 || classId >= metadata.classCount()) {
          continue;
        }
        detections.add(new Detection(classId, metadata.names().get(classId), boxes.scores()[i],
            frameBoxes[4 * i], frameBoxes[4 * i + 1], frameBoxes[4 * i + 2], frameBoxes[4 * i + 3], masks[i]));
      }
      trace.lap(Stage.POSTPROCESS);
      return detections;
    } finally {
      input.release();
    }
  }

  /** Runs forward passes on a grey input so the first request does not pay for graph optimisation. */
  public void warmUp(int passes) {
    Mat grey = new Mat(metadata.inputHeight(), metadata.inputWidth(), CvType.CV_8UC3, PAD);
    try (NDManager manager = model.getNDManager().newSubManager()) {
      for (int i = 0; i < passes; i++) {
        forward(manager, toTensor(manager, grey)).get(0).toFloatArray();
      }
    } finally {
      grey.release();
    }
  }

  /** Runs one forward pass on a grey input and returns its duration in nanoseconds; for benchmarks. */
  public long timeForward() {
    Mat grey = new Mat(metadata.inputHeight(), metadata.inputWidth(), CvType.CV_8UC3, PAD);
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray batch = toTensor(manager, grey);
      batch.toFloatArray();
      long start = System.nanoTime();
      NDList outputs = forward(manager, batch);
      outputs.get(0).get(0).get(0).getFloat(0); // waits for the device
      return System.nanoTime() - start;
    } finally {
      grey.release();
    }
  }

  private Shape outputShape() {
    Mat grey = new Mat(metadata.inputHeight(), metadata.inputWidth(), CvType.CV_8UC3, PAD);
    try (NDManager manager = model.getNDManager().newSubManager()) {
      return forward(manager, toTensor(manager, grey)).get(0).getShape();
    } finally {
      grey.release();
    }
  }

  private NDList forward(NDManager manager, NDArray batch) {
    return model.getBlock().forward(new ParameterStore(manager, false), new NDList(batch), false);
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
   * Uploads the letterboxed uint8 HWC BGR pixels (a quarter of the bytes of float32) and does the rest on
   * the model's device: float, BGR to RGB, HWC to CHW, /255, batch of one.
   */
  private static NDArray toTensor(NDManager manager, Mat input) {
    long bytes = input.total() * input.channels();
    // A direct view of OpenCV's buffer: DJL copies it into the tensor without another copy in the JVM.
    ByteBuffer pixels = new Pointer(input.dataAddr()).getByteBuffer(0, bytes);
    NDArray hwc = manager.create(pixels, new Shape(input.rows(), input.cols(), 3), DataType.UINT8);
    return hwc.toType(DataType.FLOAT32, false).flip(2).transpose(2, 0, 1).div(255f).expandDims(0);
  }

  @Override
  public void close() {
    model.close();
  }
}
