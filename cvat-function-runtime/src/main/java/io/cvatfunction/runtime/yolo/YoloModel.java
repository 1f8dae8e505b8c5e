package io.cvatfunction.runtime.yolo;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.RequestTrace.Stage;
import io.cvatfunction.runtime.image.FramePreprocessor.ModelInput;
import io.cvatfunction.runtime.image.LetterBox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An Ultralytics TorchScript export loaded with DJL's PyTorch engine, with the back half of Ultralytics' predict
 * pipeline: forward, head decoding and NMS, boxes mapped back to the frame ({@link FramePreprocessor} makes the
 * input).
 *
 * <p>Thread-safe: worker threads share one instance; each request scopes its tensors in its own
 * {@link #newRequestManager() NDManager}, closed when it is done, so no native memory outlives a request.
 */
public final class YoloModel implements AutoCloseable {

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

  /** A manager for one request's tensors on the model's device; close it when the request is done. */
  public NDManager newRequestManager() {
    return model.getNDManager().newSubManager();
  }

  /**
   * Finds objects in a prepared input.
   *
   * @param input the letterboxed frame on the model's device, in a request manager that also receives the outputs
   * @param threshold keep detections scoring strictly above this
   * @param trace stage timings
   */
  public List<Detection> predict(ModelInput input, float threshold, RequestTrace trace) {
    NDManager manager = input.batch().getManager();
    LetterBox letterBox = input.letterBox();
    NDList outputs = forward(manager, input.batch());
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
  }

  /** Runs forward passes on a grey input so the first request does not pay for graph optimisation. */
  public void warmUp(int passes) {
    try (NDManager manager = newRequestManager()) {
      for (int i = 0; i < passes; i++) {
        forward(manager, grey(manager)).get(0).toFloatArray();
      }
    }
  }

  /** Runs one forward pass on a grey input and returns its duration in nanoseconds; for benchmarks. */
  public long timeForward() {
    try (NDManager manager = newRequestManager()) {
      NDArray batch = grey(manager);
      batch.toFloatArray();
      long start = System.nanoTime();
      NDList outputs = forward(manager, batch);
      outputs.get(0).get(0).get(0).getFloat(0); // waits for the device
      return System.nanoTime() - start;
    }
  }

  private Shape outputShape() {
    try (NDManager manager = newRequestManager()) {
      return forward(manager, grey(manager)).get(0).getShape();
    }
  }

  /** A letterbox-grey input, as padding looks to the model. */
  private NDArray grey(NDManager manager) {
    return manager.full(new Shape(1, 3, metadata.inputHeight(), metadata.inputWidth()), 114f).div(255f);
  }

  private NDList forward(NDManager manager, NDArray batch) {
    return model.getBlock().forward(new ParameterStore(manager, false), new NDList(batch), false);
  }

  @Override
  public void close() {
    model.close();
  }
}
