package io.cvatfunction.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a pose model's keypoint names and edges come from, one rule for the runtime (the elements it answers) and
 * {@code cvat:spec} (the sublabels it declares). Names, first found wins: {@code @CvatFunction(keypoints)}, the
 * file {@value #FILE} beside the model, the model's own {@code kpt_names} (Ultralytics writes them since 8.3.2xx),
 * COCO's 17 for a 17-keypoint model, else "1", "2", ... as CVAT's skeleton editor names new points. Edges: {@code
 * @CvatFunction(edges)}, else the file's, else COCO's limbs when the names are COCO's, else none.
 *
 * <p>The file holds one keypoint name a line, in the model's order, and an edge as a line {@code a - b} (spaces
 * around the dash); blank lines and lines starting with {@code #} are skipped.
 */
public final class Skeletons {

  /** The file beside the model that names its keypoints. */
  public static final String FILE = "keypoints.txt";

  private static final Pattern EDGE = Pattern.compile("(.+?)\\s+-\\s+(.+)");
  private static final int COCO_SIZE = 17;

  private Skeletons() {}

  /** Where a function's keypoint names came from. */
  public enum Source {
    /** {@code @CvatFunction(keypoints)}. */
    ANNOTATION("@CvatFunction(keypoints)"),
    /** {@value Skeletons#FILE} beside the model. */
    FILE(Skeletons.FILE + " beside the model"),
    /** The model's {@code kpt_names} (a class it does not name gets the default). */
    MODEL("the model's kpt_names"),
    /** COCO's names, the default for a 17-keypoint model. */
    COCO("COCO's 17 keypoints, the default for a 17-keypoint model"),
    /** Numbers, when nothing names the keypoints. */
    NUMBERS("numbers, as nothing names them: name them with @CvatFunction(keypoints) or " + Skeletons.FILE);

    private final String description;

    Source(String description) {
      this.description = description;
    }

    /** What the source is, for a log line. */
    public String description() {
      return description;
    }
  }

  /**
   * Each class's skeleton and where its names came from.
   *
   * @param byClass the skeleton of each class id
   * @param source where the names came from
   */
  public record Resolved(List<Skeleton> byClass, Source source) {}

  /**
   * The keypoint threshold of {@code @CvatFunction(keypointThreshold)}: a keypoint scoring below it is outside.
   *
   * @throws IllegalArgumentException when it is not in [0, 1]
   */
  public static float outsideThreshold(float threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("@CvatFunction(keypointThreshold) must be in [0, 1], got " + threshold
          + ": keypoints scoring below it are marked outside (0.5, as Ultralytics and CVAT's own function)");
    }
    return threshold;
  }

  /**
   * Resolves the skeleton of every class.
   *
   * @param declaredKeypoints {@code @CvatFunction(keypoints)}, empty when not given
   * @param declaredEdges {@code @CvatFunction(edges)}, each {@code "a - b"}
   * @param file the text of {@value #FILE} beside the model, if there is one
   * @param modelNames the model's {@code kpt_names} by class id, empty when it has none
   * @param keypointCount the keypoints the model predicts per object ({@code kpt_shape[0]})
   * @param classCount the model's classes
   * @throws IllegalArgumentException saying which declaration is wrong and how to fix it
   */
  public static Resolved resolve(List<String> declaredKeypoints, List<String> declaredEdges, Optional<String> file,
      Map<Integer, List<String>> modelNames, int keypointCount, int classCount) {
    Optional<Declaration> fromFile = file.map(Skeletons::parseFile);
    Declaration annotation = new Declaration(declaredKeypoints, declaredEdges);
    List<String> edges = !declaredEdges.isEmpty() ? declaredEdges
        : fromFile.map(Declaration::edges).orElse(List.of());
    String edgeSource = !declaredEdges.isEmpty() ? "@CvatFunction(edges)" : FILE;
    List<Skeleton> skeletons = new ArrayList<>(classCount);
    Source source;
    if (!annotation.keypoints().isEmpty()) {
      source = Source.ANNOTATION;
      Skeleton skeleton = skeleton(annotation.keypoints(), edges, keypointCount, source.description(), edgeSource);
      for (int c = 0; c < classCount; c++) {
        skeletons.add(skeleton);
      }
    } else if (fromFile.isPresent() && !fromFile.get().keypoints().isEmpty()) {
      source = Source.FILE;
      Skeleton skeleton = skeleton(fromFile.get().keypoints(), edges, keypointCount, FILE, edgeSource);
      for (int c = 0; c < classCount; c++) {
        skeletons.add(skeleton);
      }
    } else {
      source = !modelNames.isEmpty() ? Source.MODEL : keypointCount == COCO_SIZE ? Source.COCO : Source.NUMBERS;
      for (int c = 0; c < classCount; c++) {
        List<String> names = modelNames.get(c);
        skeletons.add(names != null
            ? skeleton(names, edges, keypointCount, "the model's kpt_names for class " + c, edgeSource)
            : defaultSkeleton(keypointCount, edges, edgeSource));
      }
    }
    return new Resolved(List.copyOf(skeletons), source);
  }

  private static Skeleton defaultSkeleton(int keypointCount, List<String> edges, String edgeSource) {
    if (keypointCount == COCO_SIZE) {
      return edges.isEmpty() ? Skeleton.COCO
          : skeleton(Skeleton.COCO.keypoints(), edges, keypointCount, "COCO's names", edgeSource);
    }
    List<String> numbers = new ArrayList<>(keypointCount);
    for (int i = 1; i <= keypointCount; i++) {
      numbers.add(Integer.toString(i));
    }
    return skeleton(numbers, edges, keypointCount, "the default names", edgeSource);
  }

  private static Skeleton skeleton(List<String> names, List<String> edges, int keypointCount, String source,
      String edgeSource) {
    if (names.size() != keypointCount) {
      throw new IllegalArgumentException(source + " names " + names.size() + " keypoints, but the model predicts "
          + keypointCount + ": name each of them, in the model's order");
    }
    List<String> trimmed = names.stream().map(n -> n == null ? "" : n.trim()).toList();
    List<Skeleton.Edge> resolved = new ArrayList<>(edges.size());
    if (edges.isEmpty() && trimmed.equals(Skeleton.COCO.keypoints())) {
      resolved.addAll(Skeleton.COCO.edges());
    }
    for (String edge : edges) {
      resolved.add(edge(edge, trimmed, edgeSource));
    }
    try {
      return new Skeleton(trimmed, resolved);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static Skeleton.Edge edge(String edge, List<String> names, String source) {
    Matcher m = EDGE.matcher(edge.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(source + " has '" + edge + "', which is not an edge: write it as \"a - b\""
          + " with two keypoint names and spaces around the dash");
    }
    int from = names.indexOf(m.group(1).trim());
    int to = names.indexOf(m.group(2).trim());
    if (from < 0 || to < 0) {
      throw new IllegalArgumentException(source + " has the edge '" + edge + "', but '"
          + (from < 0 ? m.group(1).trim() : m.group(2).trim()) + "' is none of the keypoints " + names);
    }
    return new Skeleton.Edge(from, to);
  }

  /** The names and edges a {@value #FILE} declares. */
  private record Declaration(List<String> keypoints, List<String> edges) {}

  private static Declaration parseFile(String text) {
    List<String> keypoints = new ArrayList<>();
    List<String> edges = new ArrayList<>();
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      (EDGE.matcher(line).matches() ? edges : keypoints).add(line);
    }
    return new Declaration(keypoints, edges);
  }
}
