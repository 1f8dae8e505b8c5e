package io.cvatfunction.runtime.yolo;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.runtime.image.LetterBox;
import java.util.List;
import java.util.function.Supplier;

/** Turns one forward pass's outputs into detections in frame pixels: one implementation per task and head. */
interface OutputDecoder {

  /**
   * @param outputs the forward pass's outputs, in the request's manager
   * @param letterBox how the frame became the model input
   * @param threshold keep detections scoring strictly above this
   */
  List<Detection> decode(NDList outputs, LetterBox letterBox, float threshold);

  /**
   * The decoder for a model, chosen once when it loads.
   *
   * @param outputShape the shape of the model's first output, for exports whose metadata does not say whether
   *     the head is NMS-free (runs a forward pass, so only asked when needed)
   * @throws MalformedModelException when the runtime cannot decode the model's task
   */
  static OutputDecoder of(ModelMetadata metadata, Supplier<Shape> outputShape) throws MalformedModelException {
    return switch (metadata.task()) {
      case DETECT -> BoxHead.of(metadata, outputShape);
      case SEGMENT -> new SegmentationMasks(BoxHead.of(metadata, outputShape));
      case POSE, OBB, CLASSIFY -> throw new MalformedModelException("the model is a '" + metadata.task().id()
          + "' model, which this runtime cannot decode yet: export a detect or segment model");
    };
  }
}
