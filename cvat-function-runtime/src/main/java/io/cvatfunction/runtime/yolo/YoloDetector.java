package io.cvatfunction.runtime.yolo;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.cvatfunction.contract.LabelRename;
import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.CvatHandler;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.Label;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.RequestTrace.Stage;
import io.cvatfunction.runtime.cvat.ConfidenceAttribute;
import io.cvatfunction.runtime.cvat.DetectorRequest;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.image.FrameDecoder;
import io.cvatfunction.runtime.image.FramePreprocessor;
import io.cvatfunction.runtime.image.FramePreprocessor.ModelInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The base class of a YOLO detector: extend it, annotate the subclass with {@link CvatFunction}, and the
 * function answers CVAT's detector requests as Ultralytics' {@code predict} would: rectangles for detect
 * models, masks (or polygons, see {@link CvatFunction#segments()}) for segment models.
 *
 * <p>Override {@link #label} to rename or drop labels in code and {@link #attributes} to add CVAT attribute
 * values to each shape. One instance serves all worker threads; subclasses must keep overrides thread-safe.
 */
public abstract class YoloDetector implements CvatHandler {

  private volatile Loaded loaded;
  private final String confidenceAttribute = ConfidenceAttribute.nameOf(getClass());

  private record Loaded(YoloModel model, FramePreprocessor frames, String[] cvatLabels, boolean polygons) {}

  @Override
  public void load(HandlerOptions options) throws Exception {
    CvatFunction function = getClass().getAnnotation(CvatFunction.class);
    String reference = options.modelOverride()
        .orElseGet(() -> function == null ? null : function.model());
    Path file = ModelSource.resolve(reference, getClass().getClassLoader());
    Device device = Devices.select(options.device());
    YoloModel model = YoloModel.load(file, device, options.maxBatch(device.isGpu()));
    // The first passes optimise the graph (2 s for yolo26n on an H200) while the frame path is made and tested:
    // both are CPU work that the start waits for.
    CompletableFuture<Void> warmUp = CompletableFuture.runAsync(() -> model.warmUp(3), task -> {
      Thread warming = new Thread(task, "cvat-warm-up");
      warming.setDaemon(true);
      warming.start();
    });
    FramePreprocessor frames = null;
    try {
      List<String> names = model.metadata().names();
      String[] cvatLabels = new String[names.size()];
      for (int i = 0; i < cvatLabels.length; i++) {
        cvatLabels[i] = label(names.get(i));
      }
      boolean polygons = function != null && function.segments() == CvatFunction.SegmentShape.POLYGON;
      try (NDManager manager = model.newRequestManager()) {
        frames = FramePreprocessor.create(new FrameDecoder(options.maxImagePixels()), model.metadata().inputWidth(),
            model.metadata().inputHeight(), options.decoder(), manager);
      }
      warmUp.join();
      loaded = new Loaded(model, frames, cvatLabels, polygons);
      warmUpRequest();
      model.startBatching(3);
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

  /** One request through the whole path (parse, decode, letterbox, forward, decode heads), like CVAT's. */
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

  @Override
  public Object handle(byte[] body, RequestTrace trace) throws BadRequestException {
    DetectorRequest request = DetectorRequest.parse(body);
    trace.lap(Stage.BODY);
    return detect(request.image(), request.threshold(), trace);
  }

  /**
   * Finds objects in an encoded frame (JPEG, PNG, BMP, TIFF or WebP) and returns them as CVAT shapes.
   *
   * @param encodedFrame the frame file's bytes
   * @param threshold keep detections scoring strictly above this
   * @throws BadRequestException when the bytes are not a usable frame
   */
  public List<Shape> detect(byte[] encodedFrame, float threshold) throws BadRequestException {
    return detect(encodedFrame, threshold, new RequestTrace());
  }

  private List<Shape> detect(byte[] encodedFrame, float threshold, RequestTrace trace) throws BadRequestException {
    Loaded state = state();
    List<Detection> detections;
    try (NDManager request = state.model().newRequestManager()) {
      ModelInput input = state.frames().prepare(encodedFrame, request, trace);
      detections = state.model().predict(input, threshold, trace);
    }
    List<Shape> shapes = new ArrayList<>(detections.size());
    for (Detection d : detections) {
      String label = state.cvatLabels()[d.classId()];
      if (label == null) {
        continue;
      }
      InstanceMask mask = d.mask();
      List<ShapeAttribute> attributes = ConfidenceAttribute.append(attributes(d), confidenceAttribute, d.score());
      if (mask == null) {
        shapes.add(Shape.rectangle(label, d.x1(), d.y1(), d.x2(), d.y2(), d.score(), attributes));
      } else if (mask.polygon().length >= 6) { // an instance whose mask vanished has nothing to annotate
        shapes.add(state.polygons()
            ? Shape.polygon(label, mask.polygon(), d.score(), attributes)
            : Shape.mask(label, mask.polygon(), mask.cvatMask(), d.score(), attributes));
      }
    }
    trace.lap(Stage.POSTPROCESS);
    return shapes;
  }

  /**
   * The CVAT label for a model label, or null to drop it. By default the annotation's {@link Label}
   * entries apply; labels they do not name keep the model's name.
   */
  protected String label(String modelLabel) {
    CvatFunction function = getClass().getAnnotation(CvatFunction.class);
    if (function != null) {
      for (Label label : function.labels()) {
        if (label.model().equals(modelLabel)) {
          return LabelRename.cvatName(modelLabel, label.name(), label.drop()).orElse(null);
        }
      }
    }
    return modelLabel;
  }

  /** Attribute values for one detection's shape; none by default. */
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
