package io.cvatfunction.runtime;

import java.util.EnumMap;
import java.util.Map;

/**
 * Times the stages of one request. Not thread-safe: one thread at a time uses it (the I/O thread that starts it,
 * then the request thread, then the worker), each handing it on to the next.
 *
 * <p>Each {@link #lap} charges the time since the previous lap (or the start) to a stage.
 */
public final class RequestTrace {

  /** The stages of a detector request, in order. */
  public enum Stage {
    /** Reading the body from the connection, after the headers. */
    RECEIVE,
    /** Waiting for a request thread, then for a worker. */
    QUEUE,
    /** JSON parsing and base64 decoding of the body. */
    BODY,
    /** Frame decoding (JPEG, PNG, BMP, TIFF, WebP). */
    DECODE,
    /** Letterbox resize and padding, and the upload as a tensor. */
    LETTERBOX,
    /** The model's forward pass. */
    FORWARD,
    /** Decoding the heads, NMS, mapping boxes back to the frame. */
    POSTPROCESS,
    /** Serialising the response. */
    JSON
  }

  private final EnumMap<Stage, Long> nanos = new EnumMap<>(Stage.class);
  private long last;

  /** Starts timing now. */
  public RequestTrace() {
    last = System.nanoTime();
  }

  /** Charges the time since the last lap to {@code stage}. */
  public void lap(Stage stage) {
    lap(stage, System.nanoTime());
  }

  /** Charges the time from the last lap to {@code nanoTime} (a {@link System#nanoTime} reading) to {@code stage}. */
  public void lap(Stage stage, long nanoTime) {
    nanos.merge(stage, nanoTime - last, Long::sum);
    last = nanoTime;
  }

  /** Milliseconds per stage, in stage order. */
  public Map<Stage, Double> millis() {
    EnumMap<Stage, Double> out = new EnumMap<>(Stage.class);
    nanos.forEach((stage, ns) -> out.put(stage, ns / 1e6));
    return out;
  }
}
