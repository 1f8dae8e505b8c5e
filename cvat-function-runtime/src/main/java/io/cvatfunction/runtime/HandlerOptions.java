package io.cvatfunction.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Run-time choices a handler gets when it loads.
 *
 * @param device {@code auto} (a GPU when one is visible, else the CPU), {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param modelOverride a model reference that replaces the annotation's, from {@code CVAT_MODEL} or {@code cvat.model}
 * @param maxImagePixels the largest decoded image accepted (width × height); larger ones get 413
 * @param decoder {@code auto} (JPEG frames decoded by nvJPEG on the model's GPU, when there is one), {@code gpu} (the
 *     same, a GPU path that cannot be made failing the load) or {@code cpu}
 *     (every frame decoded by OpenCV)
 * @param workers requests served at once
 * @param batch the most concurrent requests one forward pass may take, from {@code cvat.batch}; empty: see
 *     {@link #maxBatch}
 * @param passTimeout the longest a request may wait for its forward pass before the device counts as hung ({@link
 *     DeviceFault}); the function server gives twice its event timeout
 */
public record HandlerOptions(String device, Optional<String> modelOverride, long maxImagePixels, String decoder,
    int workers, OptionalInt batch, Duration passTimeout) {

  /** Validates the values. */
  public HandlerOptions {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be positive, got " + workers);
    }
    if (batch.isPresent() && batch.getAsInt() < 1) {
      throw new IllegalArgumentException("cvat.batch must be at least 1 (1: one request per forward pass), got "
          + batch.getAsInt());
    }
    if (passTimeout.isNegative() || passTimeout.isZero()) {
      throw new IllegalArgumentException("the forward pass timeout must be positive, got " + passTimeout);
    }
  }

  /**
   * The most concurrent requests one forward pass takes: {@code cvat.batch}, else on a GPU as many as the workers
   * up to {@link #DEFAULT_GPU_BATCH}, and 1 on the CPU, where a batch's pass measured slower than its requests'
   * passes side by side.
   */
  public int maxBatch(boolean gpu) {
    return batch.orElse(gpu ? Math.min(workers, DEFAULT_GPU_BATCH) : 1);
  }

  /**
   * The default largest batch on a GPU: on an H200, batches of up to 16 served yolov8n no faster than batches of up
   * to 8, and PyTorch's caching allocator held more GPU memory for them (the benchmarks' README has the figures).
   */
  public static final int DEFAULT_GPU_BATCH = 8;

  /** Decoded images up to this many pixels are accepted unless configured otherwise (8K is 33 MP). */
  public static final long DEFAULT_MAX_IMAGE_PIXELS = 50_000_000L;

  /** How long a request may wait for its forward pass unless told otherwise: twice the default event timeout. */
  public static final Duration DEFAULT_PASS_TIMEOUT = Duration.ofMinutes(1);

  /** Options for a CPU run with the annotation's model, one request at a time. */
  public static HandlerOptions cpu() {
    return new HandlerOptions("cpu", Optional.empty(), DEFAULT_MAX_IMAGE_PIXELS, "auto", 1, OptionalInt.empty(),
        DEFAULT_PASS_TIMEOUT);
  }
}
