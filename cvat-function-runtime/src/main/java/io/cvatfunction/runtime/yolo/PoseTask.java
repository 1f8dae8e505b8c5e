package io.cvatfunction.runtime.yolo;

import ai.djl.ndarray.NDList;
import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.contract.Skeleton;
import io.cvatfunction.contract.Skeletons;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.image.LetterBox;
import io.cvatfunction.runtime.image.ModelInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ultralytics' {@code pose} task: a head's boxes, each with its keypoints as extra values ({@code x, y} in model-input
 * pixels, already decoded by the exported head, then a visibility score when {@code kpt_shape} has three values),
 * mapped to the frame as Ultralytics' {@code PosePredictor} maps them: boxes by {@code scale_boxes}, keypoints by
 * {@code scale_coords} ({@link LetterBox#mapKeypointsToFrame}), each clipped to the frame, keypoints not to their box.
 * CVAT skeletons: one {@code points} element per keypoint, named by the class's {@link Skeleton}, {@code outside}
 * when its score is below {@link CvatFunction#keypointThreshold()} (Ultralytics zeroes such a keypoint's position;
 * CVAT gets the model's position, hidden, which a person can show and move).
 */
final class PoseTask implements TaskDecoder<Detection.Pose> {

  private static final Logger LOG = LoggerFactory.getLogger(PoseTask.class);

  private final BoxHead head;
  private final ModelMetadata.KeypointShape keypoints;
  private final List<Skeleton> skeletons;
  private final float outsideBelow;

  /**
   * @param skeletons each class's skeleton, by class id
   * @param outsideBelow keypoints scoring below this are outside
   */
  PoseTask(BoxHead head, ModelMetadata.KeypointShape keypoints, List<Skeleton> skeletons, float outsideBelow) {
    this.head = head;
    this.keypoints = keypoints;
    this.skeletons = List.copyOf(skeletons);
    this.outsideBelow = Skeletons.outsideThreshold(outsideBelow);
  }

  /**
   * The task with the skeletons {@link Skeletons#resolve} names for the function.
   *
   * @throws IOException when {@code keypoints.txt} beside the model cannot be read
   */
  static PoseTask of(TaskContext context) throws IOException {
    ModelMetadata metadata = context.metadata();
    Skeletons.Resolved resolved = skeletons(metadata, context.function(), context.besideModel());
    LOG.info("Keypoint names from {}", resolved.source().description());
    return new PoseTask(BoxHead.of(metadata, context.outputShape()), metadata.keypoints(), resolved.byClass(),
        context.function().keypointThreshold());
  }

  /**
   * Each class's skeleton, as {@link Skeletons#resolve} names it for the function: from its annotation, the
   * {@code keypoints.txt} beside the model, or the model's own keypoint names.
   *
   * @throws IOException when {@code keypoints.txt} beside the model cannot be read
   */
  static Skeletons.Resolved skeletons(ModelMetadata metadata, CvatFunction function, TaskContext.BesideModel beside)
      throws IOException {
    return Skeletons.resolve(List.of(function.keypoints()), List.of(function.edges()), beside.read(Skeletons.FILE),
        metadata.keypointNames(), metadata.keypoints().count(), metadata.classCount());
  }

  @Override
  public List<Detection.Pose> decode(NDList outputs, ModelInput input, float threshold) {
    LetterBox letterBox = input.letterBox();
    Boxes boxes = head.boxes(outputs.get(0), threshold);
    int width = keypoints.count() * keypoints.values();
    if (boxes.extraWidth() != width) {
      throw new IllegalStateException("the pose model's head has " + boxes.extraWidth() + " values per box after its"
          + " classes, but its kpt_shape " + keypoints + " needs " + width);
    }
    float[] frame = boxes.inFrame(letterBox);
    float[] points = boxes.extras().clone();
    for (int i = 0; i < boxes.count(); i++) {
      letterBox.mapKeypointsToFrame(points, i * width, keypoints.count(), keypoints.values());
    }
    return boxes.detections(head.names(), (i, classId, label, score) -> new Detection.Pose(classId, label, score,
        frame[4 * i], frame[4 * i + 1], frame[4 * i + 2], frame[4 * i + 3], keypointsOf(points, i * width)));
  }

  private List<Detection.Keypoint> keypointsOf(float[] points, int offset) {
    List<Detection.Keypoint> list = new ArrayList<>(keypoints.count());
    for (int k = 0; k < keypoints.count(); k++) {
      int o = offset + k * keypoints.values();
      list.add(new Detection.Keypoint(points[o], points[o + 1], keypoints.values() == 3 ? points[o + 2] : 1f));
    }
    return List.copyOf(list);
  }

  @Override
  public List<String> keypoints(int classId) {
    return skeletons.get(classId).keypoints();
  }

  @Override
  public Shape shape(Detection.Pose pose, String label, List<ShapeAttribute> attributes) {
    List<String> names = skeletons.get(pose.classId()).keypoints();
    List<Shape> elements = new ArrayList<>(names.size());
    for (int k = 0; k < names.size(); k++) {
      Detection.Keypoint point = pose.keypoints().get(k);
      elements.add(Shape.keypoint(names.get(k), point.x(), point.y(), point.confidence() < outsideBelow));
    }
    return Shape.skeleton(label, elements, pose.score(), attributes);
  }
}
