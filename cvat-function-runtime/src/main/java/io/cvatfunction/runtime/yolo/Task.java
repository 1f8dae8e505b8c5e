package io.cvatfunction.runtime.yolo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an Ultralytics model was trained to do: its {@code config.txt} "task". */
public enum Task {
  DETECT,
  SEGMENT,
  POSE,
  OBB,
  CLASSIFY;

  /** The name Ultralytics gives the task ({@code detect}, {@code segment}, ...). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The task Ultralytics names {@code id}. */
  static Task parse(String id) {
    for (Task task : values()) {
      if (task.id().equals(id)) {
        return task;
      }
    }
    throw new IllegalArgumentException("the model's config.txt has an unknown \"task\": '" + id + "' (Ultralytics"
        + " exports " + Arrays.stream(values()).map(Task::id).collect(Collectors.joining(", ")) + ")");
  }
}
