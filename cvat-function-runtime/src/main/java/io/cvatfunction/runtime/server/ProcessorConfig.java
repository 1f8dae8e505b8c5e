package io.cvatfunction.runtime.server;

import io.cvatfunction.contract.GoDuration;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the server takes from the function config Nuclio mounts at
 * {@code /etc/nuclio/config/processor/processor.yaml}: the HTTP trigger's workers, availability timeout
 * and body limit, and {@code spec.eventTimeout}. Absent or blank values stay empty so defaults apply.
 *
 * @param workers {@code numWorkers} (or the deprecated {@code maxWorkers}) of the HTTP trigger
 * @param workerAvailabilityTimeout {@code workerAvailabilityTimeoutMilliseconds}
 * @param maxRequestBodySize {@code attributes.maxRequestBodySize}
 * @param eventTimeout {@code spec.eventTimeout}
 * @param handler {@code spec.handler}
 */
public record ProcessorConfig(
    Optional<Integer> workers,
    Optional<Duration> workerAvailabilityTimeout,
    Optional<Long> maxRequestBodySize,
    Optional<Duration> eventTimeout,
    Optional<String> handler) {

  /** Where Nuclio mounts the function config. */
  public static final Path NUCLIO_PATH = Path.of("/etc/nuclio/config/processor/processor.yaml");

  /** A config that sets nothing. */
  public static ProcessorConfig empty() {
    return new ProcessorConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Reads {@code file}, or returns {@link #empty()} when it does not exist. */
  public static ProcessorConfig read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return empty();
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
      return from(root);
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a usable Nuclio function config: " + e.getMessage(), e);
    }
  }

  static ProcessorConfig from(Object root) {
    Map<?, ?> spec = map(map(root).get("spec"));
    Map<?, ?> http = httpTrigger(map(spec.get("triggers")));
    Map<?, ?> attributes = map(http.get("attributes"));
    return new ProcessorConfig(
        value(http, "numWorkers").or(() -> value(http, "maxWorkers")).map(w -> positiveInt(w, "numWorkers")),
        value(http, "workerAvailabilityTimeoutMilliseconds")
            .map(ms -> Duration.ofMillis(positiveInt(ms, "workerAvailabilityTimeoutMilliseconds"))),
        value(attributes, "maxRequestBodySize").map(size -> (long) positiveInt(size, "maxRequestBodySize")),
        value(spec, "eventTimeout").map(GoDuration::parse),
        value(spec, "handler"));
  }

  /**
   * A field's value as text, empty when it is missing, null or blank: Nuclio writes fields the function does
   * not set as {@code ""} (it always writes {@code eventTimeout}), and those mean "use the default".
   */
  private static Optional<String> value(Map<?, ?> map, String field) {
    return Optional.ofNullable(map.get(field)).map(v -> String.valueOf(v).trim()).filter(v -> !v.isEmpty());
  }

  private static Map<?, ?> httpTrigger(Map<?, ?> triggers) {
    for (Object trigger : triggers.values()) {
      if ("http".equals(map(trigger).get("kind"))) {
        return map(trigger);
      }
    }
    return Map.of();
  }

  private static Map<?, ?> map(Object value) {
    return value instanceof Map<?, ?> m ? m : Map.of();
  }

  private static int positiveInt(String value, String field) {
    int number;
    try {
      number = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " must be a positive integer, got " + value, e);
    }
    if (number <= 0) {
      throw new IllegalArgumentException(field + " must be a positive integer, got " + value);
    }
    return number;
  }
}
