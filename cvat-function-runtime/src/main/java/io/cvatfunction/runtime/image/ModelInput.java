package io.cvatfunction.runtime.image;

import ai.djl.ndarray.NDArray;

/**
 * A frame made into a model's input.
 *
 * @param batch the {@code (1, 3, height, width)} input on the model's device, in the request's manager
 * @param geometry how the frame became the input
 */
public record ModelInput(NDArray batch, FrameGeometry geometry) {

  /**
   * The letterbox of a letterboxed input.
   *
   * @throws IllegalStateException when the input was made otherwise (a classifier's centre crop)
   */
  public LetterBox letterBox() {
    if (geometry instanceof LetterBox box) {
      return box;
    }
    throw new IllegalStateException("the model input is a " + geometry + ", not a letterbox");
  }
}
