package io.cvatfunction.runtime.yolo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.runtime.image.LetterBox;
import java.util.List;
import java.util.function.Supplier;

/**
 * A detection head: boxes, scores and classes from the first output, in model-input pixels. Detect models are
 * decoded by their head alone; other tasks read their extra values from the same boxes.
 */
abstract class BoxHead implements OutputDecoder {

  /** Ultralytics' predict default ({@code max_det}). */
  static final int MAX_DETECTIONS = 300;

  private final List<String> names;

  BoxHead(List<String> names) {
    this.names = names;
  }

  /** The head for a model: NMS-free when its metadata says so or, failing that, its output's shape. */
  static BoxHead of(ModelMetadata metadata, Supplier<Shape> outputShape) {
    boolean endToEnd = metadata.end2end() != null
        ? metadata.end2end()
        : EndToEndHead.looksEndToEnd(outputShape.get());
    return endToEnd ? new EndToEndHead(metadata.names()) : new RawDetectHead(metadata.names());
  }

  /** The boxes scoring strictly above {@code threshold}, highest score first. */
  abstract Boxes boxes(NDArray output, float threshold);

  /** The class names by class id. */
  final List<String> names() {
    return names;
  }

  @Override
  public final List<Detection> decode(NDList outputs, LetterBox letterBox, float threshold) {
    Boxes boxes = boxes(outputs.get(0), threshold);
    return boxes.detections(boxes.inFrame(letterBox), null, names);
  }
}
