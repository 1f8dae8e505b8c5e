package io.cvatfunction.runtime;

import java.util.Map;

/**
 * What the function server calls: {@link #load} once, then {@link #handle} for every request, from several
 * worker threads at once.
 *
 * <p>Most functions extend {@link io.cvatfunction.runtime.yolo.YoloDetector} instead of implementing this.
 */
public interface CvatHandler extends AutoCloseable {

  /**
   * Loads the model and warms it up. The server answers {@code /ready} with 200 only after this returns.
   *
   * @throws Exception when the function cannot serve; the server then stays not ready and logs why
   */
  void load(HandlerOptions options) throws Exception;

  /**
   * Answers one CVAT request.
   *
   * @param body the raw request body (CVAT sends JSON)
   * @param trace records how long each stage took
   * @return the response, serialised as JSON
   * @throws BadRequestException when the request is wrong; the client gets its status and message
   */
  Object handle(byte[] body, RequestTrace trace) throws Exception;

  /**
   * What serves, for the start-up log line and {@code /ready}'s answer (e.g. the device, the frame decoder, the
   * largest batch); empty by default. Called after {@link #load} returned, at any time.
   */
  default Map<String, Object> serving() {
    return Map.of();
  }

  /** Frees the model. */
  @Override
  default void close() {}
}
