package io.cvatfunction.runtime.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a task's annotations, as CVAT answers them, already hold a write: each of the write's tags and shapes
 * has its own stored counterpart on the same frame, with the same label, type, source, attribute values (CVAT adds
 * the defaults of those left out), rotation, points (within {@link #TOLERANCE}: CVAT keeps them as decimal text) and
 * skeleton elements. A {@code PATCH action=create} is one transaction, so a write is either all there or not at all.
 * A person's annotations ({@code source} manual) never stand for the function's.
 */
final class StoredAnnotations {

  /** Points differing by less than this are the same point. */
  static final double TOLERANCE = 1e-3;

  private StoredAnnotations() {}

  /** Whether {@code stored} (a task's {@code LabeledData}) holds every tag and shape of {@code written}. */
  static boolean hold(JsonNode stored, JsonNode written) {
    return holdAll(stored.path("tags"), written.path("tags")) && holdAll(stored.path("shapes"), written.path("shapes"));
  }

  private static boolean holdAll(JsonNode stored, JsonNode written) {
    Map<String, List<JsonNode>> candidates = new HashMap<>();
    stored.forEach(item -> candidates.computeIfAbsent(key(item), k -> new ArrayList<>()).add(item));
    for (JsonNode item : written) {
      List<JsonNode> same = candidates.getOrDefault(key(item), List.of());
      int match = indexOfMatch(same, item);
      if (match < 0) {
        return false;
      }
      same.remove(match); // each stored item stands for one written item only
    }
    return true;
  }

  private static String key(JsonNode item) {
    return item.path("frame").asInt() + "/" + item.path("label_id").asInt() + "/" + item.path("type").asText("tag")
        + "/" + item.path("source").asText("manual");
  }

  private static int indexOfMatch(List<JsonNode> candidates, JsonNode item) {
    for (int i = 0; i < candidates.size(); i++) {
      if (same(candidates.get(i), item)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean same(JsonNode stored, JsonNode written) {
    if (Math.abs(stored.path("rotation").asDouble(0) - written.path("rotation").asDouble(0)) > TOLERANCE
        || !samePoints(stored.path("points"), written.path("points"))
        || !holdsValues(stored.path("attributes"), written.path("attributes"))) {
      return false;
    }
    JsonNode elements = written.path("elements");
    if (elements.size() != stored.path("elements").size()) {
      return false;
    }
    for (JsonNode element : elements) {
      boolean found = false;
      for (JsonNode candidate : stored.path("elements")) {
        found |= candidate.path("label_id").asInt() == element.path("label_id").asInt()
            && candidate.path("outside").asBoolean() == element.path("outside").asBoolean()
            && samePoints(candidate.path("points"), element.path("points"));
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static boolean holdsValues(JsonNode stored, JsonNode written) {
    for (JsonNode value : written) {
      boolean found = false;
      for (JsonNode candidate : stored) {
        found |= candidate.path("spec_id").asInt() == value.path("spec_id").asInt()
            && candidate.path("value").asText().equals(value.path("value").asText());
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static boolean samePoints(JsonNode stored, JsonNode written) {
    if (stored.size() != written.size()) {
      return false;
    }
    for (int i = 0; i < written.size(); i++) {
      if (Math.abs(stored.get(i).asDouble() - written.get(i).asDouble()) > TOLERANCE) {
        return false;
      }
    }
    return true;
  }
}
