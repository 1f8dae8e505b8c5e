/**
 * Ultralytics YOLO models behind CVAT's detector contract.
 *
 * <p>A request reads preprocess → forward → decode: {@code image.FramePreprocessor} makes the model input and
 * the {@code LetterBox} that maps it back to the frame; {@link io.cvatfunction.runtime.yolo.YoloModel#forward}
 * runs the model; the model's {@code OutputDecoder}, chosen once at load from its {@link
 * io.cvatfunction.runtime.yolo.Task} and head, turns the outputs into {@link
 * io.cvatfunction.runtime.yolo.Detection}s in frame pixels; {@link io.cvatfunction.runtime.yolo.YoloDetector}
 * turns those into CVAT shapes.
 *
 * <ul>
 *   <li>{@code Task}: the {@code task} of the export's {@code config.txt}, parsed once.
 *   <li>{@code BoxHead}: boxes, scores and classes from the first output, in model-input pixels —
 *       {@code RawDetectHead} (YOLOv8/11, best class and NMS) or {@code EndToEndHead} (YOLO26/YOLOv10, NMS-free).
 *       A detect model is decoded by its head alone.
 *   <li>{@code SegmentationMasks}: a head's boxes, their mask coefficients (the head's extra values) and the
 *       prototypes (the second output) made into masks and outlines.
 *   <li>Coordinates go from model input to frame only through {@code LetterBox} ({@code mapToFrame} for boxes,
 *       {@code mapPointsToFrame} for points), which clips to the frame as Ultralytics does.
 * </ul>
 *
 * <h2>Adding a task (pose, obb, classify)</h2>
 * <ol>
 *   <li>One decoder class implementing {@code OutputDecoder}, named for what it decodes: a pose decoder reads the
 *       keypoints from a {@code BoxHead}'s extra values ({@code Boxes.extras}) and maps them with {@code
 *       LetterBox.mapPointsToFrame}; an oriented-box head needs its own NMS on rotated boxes; a classifier reads
 *       one score per class and has no boxes to map.
 *   <li>Its case in {@code OutputDecoder.of}, which today refuses the task at load with a message that names
 *       it. {@code Task} already parses all five Ultralytics task names.
 *   <li>What the decoder finds beyond a box and a mask goes into {@link io.cvatfunction.runtime.yolo.Detection},
 *       and {@code YoloDetector} turns it into the CVAT shape ({@code cvat.Shape}: skeleton, rotated rectangle,
 *       tag).
 *   <li>A unit test of the decoder on hand-made tensors (as {@code BoxHeadTest}) and a parity test of a fixture
 *       model against Ultralytics' own results (as {@code ParityTest} and {@code SegmentationTest}).
 * </ol>
 * The plugin's {@code cvat:spec} reads the task on its own to declare the function's shape type to CVAT; it
 * must learn the new task too.
 */
package io.cvatfunction.runtime.yolo;
