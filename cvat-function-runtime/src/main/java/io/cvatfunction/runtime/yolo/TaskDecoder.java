package io.cvatfunction.runtime.yolo;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.contract.YoloTask;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.image.FrameDecoder;
import io.cvatfunction.runtime.image.FrameInput;
import io.cvatfunction.runtime.image.FramePreprocessor;
import io.cvatfunction.runtime.image.ModelInput;
import java.io.IOException;
import java.util.List;

/**
 * One Ultralytics task in the runtime, end to end: how a frame becomes its input, how the forward pass's outputs
 * become typed detections in frame pixels (as Ultralytics' predict decodes them), and the CVAT shape each detection
 * becomes (the label type {@link YoloTask} names for the task). One class per task; {@link #of} is the one place that
 * picks it, when the model loads.
 *
 * @param <D> the task's detections
 */
interface TaskDecoder<D extends Detection> {

  /**
   * How frames become this task's input: letterboxed as Ultralytics' {@code LetterBox}, by nvJPEG and the frame
   * kernel on a GPU when {@code decoder} allows it, unless the task says otherwise.
   *
   * @param decoder {@code auto} or {@code cpu}
   * @param manager a manager on the model's device
   */
  default FrameInput frameInput(FrameDecoder frames, ModelMetadata metadata, String decoder, NDManager manager) {
    return FramePreprocessor.create(frames, metadata.inputWidth(), metadata.inputHeight(), decoder, manager);
  }

  /**
   * The detections in one forward pass's outputs.
   *
   * @param outputs the outputs, in the request's manager
   * @param input the input they came from, whose geometry maps them to the frame
   * @param threshold the request's threshold
   */
  List<D> decode(NDList outputs, ModelInput input, float threshold);

  /**
   * The CVAT shape of one detection, or null when it has nothing to annotate.
   *
   * @param label the detection's CVAT label
   * @param attributes the shape's attribute values
   */
  Shape shape(D detection, String label, List<ShapeAttribute> attributes);

  /** The names of a class's keypoints, the sublabels of its skeleton; none for tasks without keypoints. */
  default List<String> keypoints(int classId) {
    return List.of();
  }

  /** The threshold of a request that sends none: 0.5, as CVAT's own functions and Ultralytics' defaults. */
  default float defaultThreshold() {
    return 0.5f;
  }

  /**
   * The task of a model, set up for a function.
   *
   * @throws MalformedModelException when the model's outputs cannot be decoded as its task says
   * @throws IOException when a file beside the model cannot be read
   */
  static TaskDecoder<?> of(TaskContext context) throws MalformedModelException, IOException {
    ModelMetadata metadata = context.metadata();
    return switch (metadata.task()) {
      case DETECT -> new DetectTask(BoxHead.of(metadata, context.outputShape()));
      case SEGMENT -> SegmentTask.of(context);
      case POSE -> PoseTask.of(context);
      case OBB -> ObbTask.of(context);
      case CLASSIFY -> new ClassifyTask(metadata.names());
    };
  }
}
