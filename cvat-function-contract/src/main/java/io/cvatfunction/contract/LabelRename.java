package io.cvatfunction.contract;

import java.util.Optional;

/**
 * What a {@code @Label(model, name, drop)} does to the model label it names: the runtime answers CVAT with this
 * name and {@code cvat:spec} declares it, so the two always agree.
 */
public final class LabelRename {

  private LabelRename() {}

  /**
   * The CVAT name of {@code modelLabel} under a {@code @Label} that names it: empty when the label is dropped, the
   * model's own name when {@code name} is empty.
   */
  public static Optional<String> cvatName(String modelLabel, String name, boolean drop) {
    if (drop) {
      return Optional.empty();
    }
    return Optional.of(name.isEmpty() ? modelLabel : name);
  }
}
