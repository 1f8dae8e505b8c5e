package io.cvatfunction.contract;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keypoints of one pose-model class as CVAT draws them: a skeleton label whose {@code points} sublabels are the
 * keypoints, in the model's keypoint order, joined by edges.
 *
 * @param keypoints the keypoint names, in the order the model predicts them
 * @param edges the lines CVAT draws between keypoints
 */
public record Skeleton(List<String> keypoints, List<Edge> edges) {

  /**
   * A line between two keypoints.
   *
   * @param from the first keypoint's index in {@link #keypoints()}
   * @param to the second keypoint's index
   */
  public record Edge(int from, int to) {}

  /** COCO's 17 person keypoints and the limbs between them, which Ultralytics' COCO pose models predict. */
  public static final Skeleton COCO = new Skeleton(
      List.of("nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
          "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
          "right_knee", "left_ankle", "right_ankle"),
      List.of(new Edge(15, 13), new Edge(13, 11), new Edge(16, 14), new Edge(14, 12), new Edge(11, 12),
          new Edge(5, 11), new Edge(6, 12), new Edge(5, 6), new Edge(5, 7), new Edge(6, 8), new Edge(7, 9),
          new Edge(8, 10), new Edge(1, 2), new Edge(0, 1), new Edge(0, 2), new Edge(1, 3), new Edge(2, 4),
          new Edge(3, 5), new Edge(4, 6)));

  /**
   * Validates the skeleton as CVAT would take it.
   *
   * @throws IllegalArgumentException for no keypoints, a blank or repeated name, a name with a character CVAT keeps
   *     out of its skeleton drawing (CVAT stores the drawing with each {@code data-label-name="NAME"} replaced as
   *     text, so a name must stand in it unescaped), or an edge that joins a keypoint to itself or to one the
   *     skeleton does not have
   */
  public Skeleton {
    keypoints = List.copyOf(keypoints);
    edges = List.copyOf(edges);
    if (keypoints.isEmpty()) {
      throw new IllegalArgumentException("a skeleton needs at least one keypoint");
    }
    Set<String> seen = new HashSet<>();
    for (String name : keypoints) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a keypoint name is blank: name every keypoint");
      }
      if (name.chars().anyMatch(c -> c == '"' || c == '<' || c == '>' || c == '&')) {
        throw new IllegalArgumentException("keypoint '" + name + "' has a character CVAT's skeleton drawing cannot"
            + " hold (\", <, > or &): rename it");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("keypoint '" + name + "' is named twice: CVAT needs a name per keypoint");
      }
    }
    for (Edge edge : edges) {
      if (edge.from() < 0 || edge.to() < 0 || edge.from() >= keypoints.size() || edge.to() >= keypoints.size()) {
        throw new IllegalArgumentException("an edge joins keypoint " + edge.from() + " and " + edge.to() + ", but the"
            + " skeleton has keypoints 0 to " + (keypoints.size() - 1));
      }
      if (edge.from() == edge.to()) {
        throw new IllegalArgumentException("an edge joins '" + keypoints.get(edge.from()) + "' to itself");
      }
    }
  }

  /** Whether these are COCO's 17 keypoints, in COCO's order. */
  public boolean isCoco() {
    return keypoints.equals(COCO.keypoints);
  }
}
