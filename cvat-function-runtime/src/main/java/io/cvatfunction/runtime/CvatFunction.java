package io.cvatfunction.runtime;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a CVAT function: what CVAT lists (name, kind, labels), what Nuclio runs (workers, timeouts,
 * GPU, environment) and which model the handler serves.
 *
 * <p>Put it on a class that extends a handler base class such as
 * {@link io.cvatfunction.runtime.yolo.YoloDetector}; the function's CVAT kind is the one its class serves ({@link
 * Detector}: {@code detector}). {@code cvat:spec} reads it from the compiled class to write {@code
 * function-gpu.yaml}; the function server reads it for its defaults ({@link FunctionAnnotation#of}).
 *
 * <pre>{@code
 * @CvatFunction(
 *     name = "shapes-detector",
 *     description = "Finds circles, squares and triangles",
 *     model = "classpath:models/shapes-yolov8n.torchscript")
 * public class ShapesDetector extends YoloDetector {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CvatFunction {

  /** The Nuclio function id: lower case letters, digits and '-', at most 56 characters. */
  String name();

  /** The name CVAT shows in its Models tab; the function id when empty. */
  String displayName() default "";

  /** What CVAT shows under the name. CVAT's model list breaks for a function without one. */
  String description();

  /**
   * The model file: a path, or {@code classpath:} followed by a resource name. The environment variable
   * {@code CVAT_MODEL} or the system property {@code cvat.model} override it at run time.
   */
  String model();

  /** Renames, drops or adds CVAT attributes to model labels; model labels not named here are kept. */
  Label[] labels() default {};

  /**
   * The name of a number attribute, e.g. {@code "confidence"}, that carries each shape's score into CVAT, which
   * ignores a shape's {@code confidence} field; none when empty. {@code cvat:spec} declares it on every label, and
   * each shape returns its score in it as a whole percentage, 0 to 100 (CVAT keeps only integer number
   * attributes), so scores stay in CVAT's annotations and can be filtered there. Give the task's labels a number
   * attribute of that name (0;100;1) to receive it.
   */
  String confidenceAttribute() default "";

  /** GPUs the function asks Nuclio for ({@code resources.limits.nvidia.com/gpu}); 0 for CPU only. */
  int gpus() default 1;

  /** Requests served at once; the worker threads share one model. */
  int workers() default 2;

  /** How long one request may take (a Go duration such as {@code 30s} or {@code 1m30s}) before it gets 408. */
  String eventTimeout() default "30s";

  /** How long a request waits for a free worker before it gets 503, in milliseconds. */
  long workerAvailabilityTimeoutMillis() default 10_000;

  /** The largest request body accepted, in bytes; larger ones get 413. CVAT frames need more than 4 MiB. */
  long maxRequestBodySize() default 32L * 1024 * 1024;

  /** Environment variables for the function's container. */
  Env[] env() default {};

  /** How a segmentation model's instances reach CVAT: masks (with their polygon) or polygons only. */
  SegmentShape segments() default SegmentShape.MASK;

  /**
   * A pose model's keypoint names, one per keypoint in the model's order: the sublabels of each CVAT skeleton.
   * Without them the names come from {@code keypoints.txt} beside the model (one name a line), else the model's own
   * {@code kpt_names}, else COCO's 17 for a 17-keypoint model, else "1", "2", ....
   */
  String[] keypoints() default {};

  /**
   * The lines CVAT draws between a pose model's keypoints, each {@code "a - b"} with two keypoint names (spaces
   * around the dash); else the edges of {@code keypoints.txt}, else COCO's limbs for COCO's keypoints.
   */
  String[] edges() default {};

  /**
   * A keypoint whose confidence is below this is marked {@code outside} in its skeleton, as CVAT's own YOLO function
   * and Ultralytics' results do at 0.5 (CVAT hides it; it still has the model's position).
   */
  float keypointThreshold() default 0.5f;

  /** The CVAT shape type of segmented instances. */
  enum SegmentShape {
    /** {@code type: mask}: the mask of the box, plus the outline as {@code points} for "convert to polygons". */
    MASK,
    /** {@code type: polygon}: the outline only, for projects labelled with polygons. */
    POLYGON
  }

  /** One environment variable of the function's container. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target({})
  @interface Env {
    /** The variable's name. */
    String name();

    /** The variable's value. */
    String value();
  }
}
