/**
 * Ultralytics YOLO models of every task behind CVAT's detector contract.
 *
 * <p>A request reads preprocess → forward → decode → shape: the task's {@code FrameInput} makes the model input and
 * its geometry ({@code image.FramePreprocessor}'s letterbox, or {@code image.ClassifierInput}'s resize and centre
 * crop); {@link io.cvatfunction.runtime.yolo.YoloModel#infer} runs the model; the task's {@code TaskDecoder} turns
 * the outputs into typed {@link io.cvatfunction.runtime.yolo.Detection}s in frame pixels and each of those into the
 * CVAT shape of the task's label type; {@link io.cvatfunction.runtime.yolo.YoloDetector} ties them together.
 *
 * <ul>
 *   <li>{@code TaskDecoder.of}: the one place that picks a task's class from the model's {@code config.txt} task
 *       ({@code io.cvatfunction.contract.YoloTask}, which also names the CVAT label type {@code cvat:spec}
 *       declares): {@code DetectTask}, {@code SegmentTask}, {@code PoseTask}, {@code ObbTask}, {@code ClassifyTask}.
 *   <li>{@code BoxHead}: boxes, scores and classes from the first output, in model-input pixels, with any extra
 *       values per box — {@code RawDetectHead} (YOLOv8/11, best class and NMS) or {@code EndToEndHead} (YOLO26/YOLOv10,
 *       NMS-free). Detect, segment (mask coefficients as extras) and pose (keypoints as extras) share it; the OBB head
 *       has its own rows and {@code RotatedNms}.
 *   <li>Coordinates go from model input to frame only through {@code LetterBox} ({@code mapToFrame} for boxes,
 *       {@code mapPointsToFrame} for outlines, {@code mapKeypointsToFrame} for keypoints), which clips to the frame as
 *       Ultralytics does.
 * </ul>
 *
 * <h2>Adding a task</h2>
 * <ol>
 *   <li>Its name and CVAT label type in {@code io.cvatfunction.contract.YoloTask}.
 *   <li>One class implementing {@code TaskDecoder} with its {@code Detection} record: its input ({@code frameInput},
 *       a letterbox unless said otherwise), its decoding and its CVAT shape; and its case in {@code TaskDecoder.of}.
 *   <li>A unit test of the decoder on hand-made tensors (as {@code PoseTaskTest}) and a parity check of a fixture
 *       model against Ultralytics' own results ({@code Parity} in the test fixtures, run by a server test as {@code
 *       PoseTest}).
 *   <li>On the plugin's side, the label the task declares when it is more than a type (as a skeleton's sublabels).
 * </ol>
 */
package io.cvatfunction.runtime.yolo;
