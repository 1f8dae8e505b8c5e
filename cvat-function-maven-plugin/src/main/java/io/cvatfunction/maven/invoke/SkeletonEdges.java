package io.cvatfunction.maven.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.maven.deploy.DeployLog;
import io.cvatfunction.maven.lint.SkeletonDrawing;
import io.cvatfunction.maven.nuclio.NuclioException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The lines between the keypoints of each skeleton label, which an answer does not carry: CVAT draws them from the
 * label's {@code svg}, so {@code cvat:invoke} reads them from the same place, the label spec {@code cvat:spec} wrote
 * ({@code function-gpu.yaml}, else {@code function.yaml}). Without that spec the keypoints are drawn without lines,
 * and {@link #missing()} says how to get them.
 */
public final class SkeletonEdges {

  /**
   * A line between two keypoints.
   *
   * @param from the first keypoint's sublabel name
   * @param to the second keypoint's sublabel name
   */
  public record Link(String from, String to) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, List<Link>> byLabel;
  private final String missing;

  private SkeletonEdges(Map<String, List<Link>> byLabel, String missing) {
    this.byLabel = Map.copyOf(byLabel);
    this.missing = missing;
  }

  /** Known edges of each skeleton label name. */
  public static SkeletonEdges of(Map<String, List<Link>> byLabel) {
    return new SkeletonEdges(byLabel, null);
  }

  /** No edges, and why: the line the log shows when an answer has skeletons. */
  public static SkeletonEdges none(String why) {
    return new SkeletonEdges(Map.of(), why);
  }

  /**
   * The edges of the spec {@code cvat:spec} wrote for the function; none, with the reason, when there is no project,
   * no spec, several functions and none chosen, or a spec that cannot be read.
   *
   * @param directory where {@code cvat:spec} wrote the YAMLs; null without a project
   * @param function {@code cvat.invoke.function}, for a project with several functions; null or blank for its only one
   * @param log where finding the YAML reports (as debug lines)
   */
  public static SkeletonEdges read(Path directory, String function, DeployLog log) {
    String without = "skeletons drawn without the lines between their keypoints: ";
    if (directory == null) {
      return none(without + "they are in the function YAML cvat:spec writes; run cvat:invoke in the function's "
          + "project, after cvat:spec");
    }
    Path file;
    try {
      file = ProjectFunction.config(directory, function, log).file();
    } catch (NuclioException e) {
      return none(without + e.getMessage());
    }
    try {
      return of(edges(labels(file)));
    } catch (IOException | YAMLException | IllegalArgumentException e) {
      return none(without + "cannot read the labels of " + file + " (" + e.getMessage() + "); run cvat:spec again");
    }
  }

  /** The label list of a function YAML, {@code metadata.annotations.spec}. */
  private static JsonNode labels(Path file) throws IOException {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(file, StandardCharsets.UTF_8));
    Object spec = child(child(child(root, "metadata"), "annotations"), "spec");
    if (!(spec instanceof String text) || text.isBlank()) {
      throw new IOException("it has no metadata.annotations.spec");
    }
    return JSON.readTree(text);
  }

  private static Object child(Object parent, String key) {
    return parent instanceof Map<?, ?> map ? map.get(key) : null;
  }

  /** Each skeleton label's edges, the svg's node ids turned into the sublabel names they draw. */
  private static Map<String, List<Link>> edges(JsonNode labels) {
    Map<String, List<Link>> byLabel = new LinkedHashMap<>();
    for (JsonNode label : labels) {
      if (!label.path("type").asText("").equals("skeleton") || !label.path("svg").isTextual()) {
        continue;
      }
      SkeletonDrawing drawing = SkeletonDrawing.parse(label.get("svg").asText());
      List<Link> links = new ArrayList<>();
      for (SkeletonDrawing.Edge edge : drawing.edges()) {
        Optional<SkeletonDrawing.Node> from = drawing.node(edge.from());
        Optional<SkeletonDrawing.Node> to = drawing.node(edge.to());
        if (from.isPresent() && to.isPresent()) {
          links.add(new Link(from.get().sublabel(), to.get().sublabel()));
        }
      }
      byLabel.put(label.path("name").asText(), List.copyOf(links));
    }
    return byLabel;
  }

  /** The edges of a skeleton label; none for a label the spec has no skeleton for. */
  public List<Link> of(String label) {
    return byLabel.getOrDefault(label, List.of());
  }

  /** Why there are no edges, when they could not be read. */
  public Optional<String> missing() {
    return Optional.ofNullable(missing);
  }
}
