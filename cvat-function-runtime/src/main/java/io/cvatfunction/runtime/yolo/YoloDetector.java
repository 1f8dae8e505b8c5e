package io.cvatfunction.runtime.yolo;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.cvatfunction.contract.LabelRename;
import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.contract.Skeleton;
import io.cvatfunction.contract.YoloTask;
import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.Detector;
import io.cvatfunction.runtime.FunctionAnnotation;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.Label;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.RequestTrace.Stage;
import io.cvatfunction.runtime.cvat.ConfidenceAttribute;
import io.cvatfunction.runtime.cvat.LabelSpec;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.image.FrameDecoder;
import io.cvatfunction.runtime.image.FrameInput;
import io.cvatfunction.runtime.image.ModelInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The base class of a YOLO function: extend it, annotate the subclass with {@link CvatFunction}, and the function
 * answers CVAT's detector requests as Ultralytics' {@code predict} would, for a model of any Ultralytics task:
 * rectangles for detect models, masks (or polygons, see {@link CvatFunction#segments()}) for segment models,
 * skeletons for pose models, rotated rectangles for OBB models, a tag for classify models.
 *
 * <p>Override {@link #label} to rename or drop labels in code and {@link #attributes} to add CVAT attribute
 * values to each shape. One instance serves all worker threads; subclasses must keep overrides thread-safe.
 */
public abstract class YoloDetector implements Detector {

  private volatile Loaded loaded;
  private final CvatFunction function = FunctionAnnotation.of(getClass());

  private record Loaded(YoloModel model, FrameInput frames, TaskDecoder<?> task, String[] cvatLabels) {}

  @Override
  public void load(HandlerOptions options) throws Exception {
    String reference = options.modelOverride().orElse(function.model());
    ClassLoader loader = getClass().getClassLoader();
    Path file = ModelSource.resolve(reference, loader);
    Device device = Devices.select(options.device());
    YoloModel model = YoloModel.load(file, device, options.maxBatch(device.isGpu()), options.passTimeout());
    // The first passes optimise the graph (2 s for yolo26n on an H200) while the frame path is made and tested:
    // both are CPU work that the start waits for.
    CompletableFuture<Void> warmUp = CompletableFuture.runAsync(() -> model.warmUp(3), task -> {
      Thread warming = new Thread(task, "cvat-warm-up");
      warming.setDaemon(true);
      warming.start();
    });
    FrameInput frames = null;
    try {
      TaskDecoder<?> task = TaskDecoder.of(new TaskContext(model.metadata(), model::outputShape, function,
          name -> ModelSource.besideModel(reference, name, loader)));
      String[] cvatLabels = cvatLabels(model.metadata().names());
      try (NDManager manager = model.newRequestManager()) {
        frames = task.frameInput(new FrameDecoder(options.maxImagePixels()), model.metadata(), options.decoder(),
            manager);
      }
      warmUp.join();
      loaded = new Loaded(model, frames, task, cvatLabels);
      warmUpRequest();
      model.startBatching();
    } catch (Exception | Error e) {
      loaded = null;
      warmUp.handle((passed, failed) -> null).join(); // its passes end before the model's memory goes
      if (frames != null) {
        frames.close();
      }
      model.close();
      if (e instanceof CompletionException wrapped && wrapped.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** One request through the whole path (parse, decode, preprocess, forward, decode outputs), like CVAT's. */
  private void warmUpRequest() throws BadRequestException {
    // 1080p, CVAT's most common frame: the resize runs, its GPU kernels load and nvJPEG sizes its buffers.
    Mat grey = new Mat(1080, 1920, CvType.CV_8UC3, new Scalar(114, 114, 114));
    MatOfByte jpeg = new MatOfByte();
    try {
      Imgcodecs.imencode(".jpg", grey, jpeg);
      String body = "{\"image\": \"" + Base64.getEncoder().encodeToString(jpeg.toArray()) + "\", \"threshold\": 0.5}";
      handle(body.getBytes(StandardCharsets.UTF_8), new RequestTrace());
    } finally {
      grey.release();
      jpeg.release();
    }
  }

  /**
   * Finds what the model finds in an encoded frame (JPEG, PNG, BMP, TIFF or WebP) and returns it as CVAT shapes.
   *
   * @param encodedFrame the frame file's bytes
   * @param threshold the confidence threshold: detections scoring strictly above it are kept (a classifier's class
   *     when its probability is at least the threshold)
   * @throws BadRequestException when the bytes are not a usable frame
   */
  public List<Shape> detect(byte[] encodedFrame, float threshold) throws BadRequestException {
    return detect(encodedFrame, threshold, new RequestTrace());
  }

  @Override
  public List<Shape> detect(byte[] frame, float threshold, RequestTrace trace) throws BadRequestException {
    Loaded state = state();
    return shapes(state, state.task(), frame, threshold, trace);
  }

  private <D extends Detection> List<Shape> shapes(Loaded state, TaskDecoder<D> task, byte[] frame, float threshold,
      RequestTrace trace) throws BadRequestException {
    List<D> detections;
    try (NDManager request = state.model().newRequestManager()) {
      ModelInput input = state.frames().prepare(frame, request, trace);
      NDList outputs = state.model().infer(input.batch());
      trace.lap(Stage.FORWARD);
      detections = task.decode(outputs, input, threshold);
    } catch (RuntimeException e) {
      throw state.model().faultOr(e);
    }
    List<Shape> shapes = new ArrayList<>(detections.size());
    for (D detection : detections) {
      String label = state.cvatLabels()[detection.classId()];
      if (label != null) {
        List<ShapeAttribute> attributes = ConfidenceAttribute.append(attributes(detection),
            function.confidenceAttribute(), detection.score());
        Optional.ofNullable(task.shape(detection, label, attributes)).ifPresent(shapes::add);
      }
    }
    trace.lap(Stage.POSTPROCESS);
    return shapes;
  }

  /**
   * The task, the device, the frame decoder, the frames each decoder has decoded and the most requests a forward pass
   * takes now.
   */
  @Override
  public Map<String, Object> serving() {
    Loaded state = state();
    Map<String, Object> serving = new LinkedHashMap<>();
    serving.put("task", state.model().metadata().task().id());
    serving.put("device", state.model().device());
    serving.put("decoder", state.frames().decoder());
    serving.put("framesDecoded", state.frames().framesDecoded());
    serving.put("maxBatch", state.model().maxBatch());
    return serving;
  }

  /** The threshold of a request that sends none: 0.5, or 0 for a classifier (one tag a frame, as CVAT's function). */
  @Override
  public float defaultThreshold() {
    return state().task().defaultThreshold();
  }

  /**
   * The labels as {@code cvat:spec} declares them: each kept model label under its CVAT name, of the type the model's
   * task gives, with the annotation's attributes and the confidence attribute, and a pose model's keypoints.
   */
  @Override
  public List<LabelSpec> labelSpecs() {
    Loaded state = state();
    return labelSpecs(state.model().metadata(), state.cvatLabels(), state.task()::keypoints);
  }

  /** The same labels, read from the model file's metadata before the model loads. */
  @Override
  public List<LabelSpec> labelSpecs(HandlerOptions options) throws IOException {
    String reference = options.modelOverride().orElse(function.model());
    ClassLoader loader = getClass().getClassLoader();
    ModelMetadata metadata = ModelMetadata.read(ModelSource.resolve(reference, loader));
    List<Skeleton> skeletons = metadata.task() == YoloTask.POSE
        ? PoseTask.skeletons(metadata, function, name -> ModelSource.besideModel(reference, name, loader)).byClass()
        : List.of();
    return labelSpecs(metadata, cvatLabels(metadata.names()),
        id -> skeletons.isEmpty() ? List.of() : skeletons.get(id).keypoints());
  }

  private String[] cvatLabels(List<String> names) {
    String[] cvatLabels = new String[names.size()];
    for (int i = 0; i < cvatLabels.length; i++) {
      cvatLabels[i] = label(names.get(i));
    }
    return cvatLabels;
  }

  private List<LabelSpec> labelSpecs(ModelMetadata metadata, String[] cvatLabels, IntFunction<List<String>> keypoints) {
    String type = metadata.task().labelType(function.segments() == CvatFunction.SegmentShape.POLYGON);
    List<LabelSpec> specs = new ArrayList<>();
    List<String> names = metadata.names();
    for (int id = 0; id < names.size(); id++) {
      String cvatName = cvatLabels[id];
      if (cvatName == null) {
        continue;
      }
      List<LabelSpec.AttributeSpec> attributes = new ArrayList<>();
      for (Label label : function.labels()) {
        if (label.model().equals(names.get(id))) {
          for (io.cvatfunction.runtime.Attribute attribute : label.attributes()) {
            attributes.add(new LabelSpec.AttributeSpec(attribute.name(), attribute.inputType().cvatName(),
                List.of(attribute.values())));
          }
        }
      }
      if (!function.confidenceAttribute().isEmpty()) {
        attributes.add(new LabelSpec.AttributeSpec(function.confidenceAttribute(), "number", ConfidenceAttribute.VALUES));
      }
      specs.add(new LabelSpec(cvatName, type, attributes, keypoints.apply(id)));
    }
    return specs;
  }

  /**
   * The CVAT label for a model label, or null to drop it. By default the annotation's {@link Label}
   * entries apply; labels they do not name keep the model's name.
   */
  protected String label(String modelLabel) {
    for (Label label : function.labels()) {
      if (label.model().equals(modelLabel)) {
        return LabelRename.cvatName(modelLabel, label.name(), label.drop()).orElse(null);
      }
    }
    return modelLabel;
  }

  /**
   * Attribute values for one detection's shape; none by default. The detection's type says what the model found:
   * {@link Detection.Box}, {@link Detection.Segment}, {@link Detection.Pose}, {@link Detection.OrientedBox} or
   * {@link Detection.Classification}.
   */
  protected List<ShapeAttribute> attributes(Detection detection) {
    return List.of();
  }

  /** The loaded model, for subclasses and tests. */
  protected YoloModel model() {
    return state().model();
  }

  private Loaded state() {
    Loaded state = loaded;
    if (state == null) {
      throw new IllegalStateException(getClass().getName() + " is not loaded: call load() first");
    }
    return state;
  }

  @Override
  public void close() {
    Loaded state = loaded;
    loaded = null;
    if (state != null) {
      state.frames().close();
      state.model().close();
    }
  }
}
