package io.cvatfunction.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The label names of an Ultralytics export's {@code config.txt}, written as an object of class id to name. The
 * runtime indexes them by the class the model predicts, so the ids must run 0, 1, 2, ... without a gap.
 */
public final class ClassNames {

  private ClassNames() {}

  /**
   * The names in class id order.
   *
   * @param byId the {@code names} object's entries, the ids as written
   * @throws IllegalArgumentException saying which id is not a number or which id is missing
   */
  public static List<String> byClassId(Map<String, String> byId) {
    Map<Integer, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> entry : byId.entrySet()) {
      try {
        sorted.put(Integer.parseInt(entry.getKey()), entry.getValue());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("has a non-numeric class id: " + entry.getKey(), e);
      }
    }
    List<String> names = new ArrayList<>(sorted.size());
    for (Map.Entry<Integer, String> entry : sorted.entrySet()) {
      if (entry.getKey() != names.size()) {
        throw new IllegalArgumentException("skips class id " + names.size());
      }
      names.add(entry.getValue());
    }
    return List.copyOf(names);
  }
}
