package io.cvatfunction.runtime;

import io.cvatfunction.runtime.RequestTrace.Stage;
import io.cvatfunction.runtime.cvat.DetectorRequest;
import io.cvatfunction.runtime.cvat.LabelSpec;
import io.cvatfunction.runtime.cvat.Shape;
import java.util.List;

/**
 * A CVAT detector ({@code metadata.annotations.type: detector}): a frame in, shapes out. Its requests, {@code
 * {"image": <base64 of the frame file>, "threshold"?: number}}, are read here for every detector, and the answer is
 * the list of shapes. {@link io.cvatfunction.runtime.yolo.YoloDetector} implements it.
 */
public interface Detector extends CvatHandler {

  /**
   * The shapes in one frame.
   *
   * @param frame the frame file's bytes
   * @param threshold the request's threshold in [0, 1]
   * @param trace stage timings
   * @throws BadRequestException when the bytes are not a usable frame
   */
  List<Shape> detect(byte[] frame, float threshold, RequestTrace trace) throws BadRequestException;

  /** The threshold of a request that sends none (CVAT leaves it out when the user sets none). */
  float defaultThreshold();

  /**
   * The labels this detector answers with, once loaded, as {@code cvat:spec} declares them; empty when the detector
   * cannot say, and {@code cvat:annotate}, which matches them with a task's labels before it runs, refuses it.
   */
  default List<LabelSpec> labelSpecs() {
    return List.of();
  }

  /**
   * The labels it will answer with once loaded with {@code options}, known before it loads (a model file's metadata
   * is read in milliseconds, a model loads in seconds): {@code cvat:annotate} checks a task's labels with them first.
   * Empty when only the loaded detector can say.
   *
   * @throws Exception when they cannot be read, as loading would fail
   */
  default List<LabelSpec> labelSpecs(HandlerOptions options) throws Exception {
    return List.of();
  }

  @Override
  default Object handle(byte[] body, RequestTrace trace) throws BadRequestException {
    DetectorRequest request = DetectorRequest.parse(body);
    trace.lap(Stage.BODY);
    return detect(request.image(), request.threshold().orElse(defaultThreshold()), trace);
  }
}
