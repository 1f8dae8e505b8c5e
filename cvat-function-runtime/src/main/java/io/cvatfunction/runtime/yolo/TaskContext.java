package io.cvatfunction.runtime.yolo;

import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.runtime.CvatFunction;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a task is set up from when a model loads.
 *
 * @param metadata the model's {@code config.txt}
 * @param outputShape the shape of the model's first output, for exports whose metadata does not say whether the head
 *     is NMS-free (runs a forward pass, so only asked when needed)
 * @param function the function's settings (its annotation, or the defaults)
 * @param besideModel reads a file beside the model by name (a pose model's {@code keypoints.txt})
 */
record TaskContext(ModelMetadata metadata, Supplier<ai.djl.ndarray.types.Shape> outputShape, CvatFunction function,
    BesideModel besideModel) {

  /** Reads a file beside the model. */
  @FunctionalInterface
  interface BesideModel {
    /** The file's text, if there is one. */
    Optional<String> read(String name) throws IOException;
  }
}
