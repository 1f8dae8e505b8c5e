package io.cvatfunction.runtime.image;

import ai.djl.ndarray.NDManager;
import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.RequestTrace;
import java.util.Map;

/**
 * Turns a frame file into a model's input, as Ultralytics' predict prepares it for the model's task: a {@link
 * FramePreprocessor} letterboxes (detect, segment, pose, obb), a {@link ClassifierInput} resizes and centre-crops.
 * Thread-safe: the workers share one.
 */
public interface FrameInput extends AutoCloseable {

  /**
   * The model input for one frame file, in {@code manager} (on the model's device).
   *
   * @throws BadRequestException when the bytes are not a usable frame
   */
  ModelInput prepare(byte[] encoded, NDManager manager, RequestTrace trace) throws BadRequestException;

  /**
   * Which decoder serves frames, for the log and {@code /ready}: {@code nvJPEG 12.4 (JPEG engine, ...)}, {@code
   * libjpeg-turbo (SIMD) and OpenCV} or {@code OpenCV}.
   */
  String decoder();

  /**
   * How many frames each decoder has decoded so far, by its name ({@code JPEG engine}, ..., {@code libjpeg-turbo},
   * {@code OpenCV}): frames that a faster path left to another show here, though their answers are the same.
   */
  Map<String, Long> framesDecoded();

  /** Frees what the input path holds (the GPU decoder's state). */
  @Override
  void close();
}
