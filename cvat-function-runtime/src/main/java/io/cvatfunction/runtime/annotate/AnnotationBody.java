package io.cvatfunction.runtime.annotate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * CVAT's {@code LabeledData} for some frames, built from the function's shapes: label names become the task's label
 * ids, a skeleton's keypoints its sublabels' ids, attribute names spec ids; masks become CVAT's run-length points
 * (or polygons when converted); tags go in {@code tags}. Every shape and tag is {@code source: auto}. Shapes of
 * labels, keypoints and attribute values that did not map are left out (only when unmatched labels are allowed).
 */
final class AnnotationBody {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LabelMapping labels;
  private final ObjectNode root = JSON.createObjectNode();
  private final ArrayNode tags;
  private final ArrayNode shapes;
  private final Map<String, Integer> perLabel = new TreeMap<>();
  private int count;

  AnnotationBody(LabelMapping labels) {
    this.labels = labels;
    root.put("version", 0);
    tags = root.putArray("tags");
    shapes = root.putArray("shapes");
    root.putArray("tracks");
  }

  /**
   * Adds a frame's shapes.
   *
   * @throws CvatException when the function returned a shape its label's type does not allow
   */
  void add(int frame, List<Shape> answer) throws CvatException {
    for (Shape shape : answer) {
      LabelMapping.Mapped label = labels.label(shape.label()).orElse(null);
      if (label == null) {
        continue;
      }
      String type = shape.type().equals("mask") && labels.convertsMasks() ? "polygon" : shape.type();
      if (!label.type().equals("any") && !label.type().equals(type)) {
        throw new CvatException("the function returned a " + type + " for label '" + shape.label() + "', a "
            + label.type() + " label, on frame " + frame + ": the function and its label spec disagree");
      }
      ObjectNode node = type.equals("tag") ? tags.addObject() : shapes.addObject();
      node.put("frame", frame);
      node.put("label_id", label.id());
      node.put("source", "auto");
      attributes(node, shape, label);
      if (!type.equals("tag")) {
        node.put("type", type);
        node.put("occluded", false);
        node.put("outside", false);
        node.put("z_order", 0);
        if (shape.rotation() != null) {
          node.put("rotation", normalised(shape.rotation()));
        }
        ArrayNode points = node.putArray("points");
        if (type.equals("mask")) {
          for (int value : MaskRle.encode(shape.mask())) {
            points.add(value);
          }
        } else {
          for (float value : shape.points()) {
            points.add(value);
          }
        }
        if (type.equals("skeleton")) {
          elements(node.putArray("elements"), frame, shape, label);
        }
      }
      perLabel.merge(shape.label(), 1, Integer::sum);
      count++;
    }
  }

  private static void attributes(ObjectNode node, Shape shape, LabelMapping.Mapped label) {
    ArrayNode attributes = node.putArray("attributes");
    if (shape.attributes() == null) {
      return;
    }
    for (ShapeAttribute attribute : shape.attributes()) {
      Integer spec = label.attributes().get(attribute.name());
      if (spec != null) {
        attributes.addObject().put("spec_id", spec).put("value", attribute.value());
      }
    }
  }

  /** A skeleton's keypoints: each of the task's sublabels once, as CVAT's driver requires (its server takes any). */
  private static void elements(ArrayNode elements, int frame, Shape skeleton, LabelMapping.Mapped label)
      throws CvatException {
    Set<String> missing = new TreeSet<>(label.sublabels().keySet());
    for (Shape keypoint : skeleton.elements()) {
      Integer sublabel = label.sublabels().get(keypoint.label());
      if (sublabel == null) {
        continue;
      }
      if (!missing.remove(keypoint.label())) {
        throw new CvatException("the function returned keypoint '" + keypoint.label() + "' twice in a '"
            + skeleton.label() + "' skeleton on frame " + frame + ": a skeleton has each keypoint once");
      }
      ObjectNode element = elements.addObject();
      element.put("type", "points");
      element.put("frame", frame);
      element.put("label_id", sublabel);
      element.put("source", "auto");
      element.put("occluded", false);
      element.put("outside", Boolean.TRUE.equals(keypoint.outside()));
      element.put("z_order", 0);
      element.putArray("attributes");
      element.putArray("points").add(keypoint.points()[0]).add(keypoint.points()[1]);
    }
    if (!missing.isEmpty()) {
      throw new CvatException("the function returned a '" + skeleton.label() + "' skeleton without keypoints "
          + missing + " on frame " + frame + ": a skeleton has every keypoint (one not seen is marked outside)");
    }
  }

  /** CVAT takes rotations in [0, 360]. */
  private static float normalised(float degrees) {
    float turned = degrees % 360f;
    return turned < 0 ? turned + 360f : turned;
  }

  /** Shapes and tags added. */
  int count() {
    return count;
  }

  /** Shapes and tags added, by the function's label name. */
  Map<String, Integer> perLabel() {
    return perLabel;
  }

  /** The JSON body. */
  byte[] bytes() {
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The body as a tree, for a dry run's file. */
  ObjectNode tree() {
    return root;
  }
}
