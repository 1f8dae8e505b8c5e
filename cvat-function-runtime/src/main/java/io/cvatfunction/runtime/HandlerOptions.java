package io.cvatfunction.runtime;

import java.util.Optional;

/**
 * Run-time choices a handler gets when it loads.
 *
 * @param device {@code auto} (a GPU when one is visible, else the CPU), {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param modelOverride a model reference that replaces the annotation's, from {@code CVAT_MODEL} or {@code cvat.model}
 * @param maxImagePixels the largest decoded image accepted (width × height); larger ones get 413
 * @param decoder {@code auto} (JPEG frames decoded by nvJPEG on the model's GPU, when there is one) or {@code cpu}
 *     (every frame decoded by OpenCV)
 */
public record HandlerOptions(String device, Optional<String> modelOverride, long maxImagePixels, String decoder) {

  /** Decoded images up to this many pixels are accepted unless configured otherwise (8K is 33 MP). */
  public static final long DEFAULT_MAX_IMAGE_PIXELS = 50_000_000L;

  /** Options for a CPU run with the annotation's model. */
  public static HandlerOptions cpu() {
    return new HandlerOptions("cpu", Optional.empty(), DEFAULT_MAX_IMAGE_PIXELS, "auto");
  }
}
