package io.cvatfunction.runtime.yolo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.contract.ModelMetadata;
import java.util.List;
import java.util.function.Supplier;

/**
 * A detection head: boxes, scores and classes from the first output, in model-input pixels, with any extra values
 * per box that the task reads (mask coefficients, keypoints). Detect, segment and pose models share it.
 */
abstract class BoxHead {

  /** Ultralytics' predict default ({@code max_det}). */
  static final int MAX_DETECTIONS = 300;

  private final List<String> names;

  BoxHead(List<String> names) {
    this.names = names;
  }

  /** The head for a model: NMS-free when its metadata says so or, failing that, its output's shape. */
  static BoxHead of(ModelMetadata metadata, Supplier<Shape> outputShape) {
    return endToEnd(metadata, outputShape) ? new EndToEndHead(metadata.names()) : new RawDetectHead(metadata.names());
  }

  /** Whether a model's head is NMS-free: as its metadata says or, failing that, as its output's shape looks. */
  static boolean endToEnd(ModelMetadata metadata, Supplier<Shape> outputShape) {
    return metadata.end2end() != null ? metadata.end2end() : EndToEndHead.looksEndToEnd(outputShape.get());
  }

  /** The boxes scoring strictly above {@code threshold}, highest score first. */
  abstract Boxes boxes(NDArray output, float threshold);

  /** The class names by class id. */
  final List<String> names() {
    return names;
  }
}
