package io.cvatfunction.runtime.server;

import io.cvatfunction.contract.GoDuration;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.FunctionAnnotation;
import io.cvatfunction.runtime.HandlerOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * Everything the function server is configured with. Each value comes from, in order of precedence: a
 * system property {@code cvat.*} or environment variable {@code CVAT_*}, Nuclio's processor.yaml, the
 * handler's {@link CvatFunction} annotation, a built-in default.
 *
 * @param host the address to listen on
 * @param port the HTTP trigger's port (Nuclio: 8080)
 * @param healthPort the health port (Nuclio: 8082)
 * @param workers requests served at once
 * @param workerAvailabilityTimeout how long a request waits for a worker before 503
 * @param eventTimeout how long a request may run before 408
 * @param maxRequestBodySize larger bodies get 413
 * @param readTimeout how long an upload may pause before it gets 408 (its connection held no longer)
 * @param handlerOptions what the handler loads with
 */
public record ServerSettings(
    String host,
    int port,
    int healthPort,
    int workers,
    Duration workerAvailabilityTimeout,
    Duration eventTimeout,
    long maxRequestBodySize,
    Duration readTimeout,
    HandlerOptions handlerOptions) {

  /** Validates the values. */
  public ServerSettings {
    require(port >= 0 && port <= 65535, "port must be in [0, 65535], got " + port);
    require(healthPort >= 0 && healthPort <= 65535, "health port must be in [0, 65535], got " + healthPort);
    require(workers > 0, "workers must be positive, got " + workers);
    require(!eventTimeout.isNegative() && !eventTimeout.isZero(), "eventTimeout must be positive, got " + eventTimeout);
    require(maxRequestBodySize > 0, "maxRequestBodySize must be positive, got " + maxRequestBodySize);
    require(!readTimeout.isNegative() && !readTimeout.isZero(), "cvat.readTimeout must be positive, got " + readTimeout);
  }

  /**
   * Resolves the settings for a handler class.
   *
   * @param lookup reads a setting by its system property name ({@code cvat.port}); see {@link #systemLookup()}
   */
  public static ServerSettings resolve(Class<?> handlerClass, ProcessorConfig nuclio, UnaryOperator<String> lookup) {
    CvatFunction function = FunctionAnnotation.of(handlerClass);
    int workers = setting(lookup, "cvat.workers").map(v -> parseInt("cvat.workers", v))
        .or(nuclio::workers).orElse(function.workers());
    Duration eventTimeout = setting(lookup, "cvat.eventTimeout").map(GoDuration::parse)
        .or(nuclio::eventTimeout)
        .orElseGet(() -> GoDuration.parse(function.eventTimeout()));
    Duration availability = nuclio.workerAvailabilityTimeout()
        .orElse(Duration.ofMillis(function.workerAvailabilityTimeoutMillis()));
    long maxBody = nuclio.maxRequestBodySize().orElse(function.maxRequestBodySize());
    HandlerOptions options = new HandlerOptions(
        setting(lookup, "cvat.device").orElse("auto"),
        setting(lookup, "cvat.model"),
        setting(lookup, "cvat.maxImagePixels").map(v -> Long.parseLong(v.trim()))
            .orElse(HandlerOptions.DEFAULT_MAX_IMAGE_PIXELS),
        setting(lookup, "cvat.decoder").orElse("auto"),
        workers,
        setting(lookup, "cvat.batch").map(v -> OptionalInt.of(parseInt("cvat.batch", v))).orElse(OptionalInt.empty()),
        eventTimeout.multipliedBy(2));
    return new ServerSettings(
        setting(lookup, "cvat.host").orElse("0.0.0.0"),
        setting(lookup, "cvat.port").map(v -> parseInt("cvat.port", v)).orElse(8080),
        setting(lookup, "cvat.healthPort").map(v -> parseInt("cvat.healthPort", v)).orElse(8082),
        workers, availability, eventTimeout, maxBody,
        setting(lookup, "cvat.readTimeout").map(GoDuration::parse).orElse(DEFAULT_READ_TIMEOUT), options);
  }

  /** How long an upload may pause unless {@code cvat.readTimeout} says otherwise: nginx's and Nuclio's habit. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  /** Reads {@code cvat.someName} from the system properties, else {@code CVAT_SOME_NAME} from the environment. */
  public static UnaryOperator<String> systemLookup() {
    return name -> {
      String value = System.getProperty(name);
      return value != null ? value : System.getenv(envName(name));
    };
  }

  /** {@code cvat.healthPort} → {@code CVAT_HEALTH_PORT}. */
  static String envName(String property) {
    return property.replace('.', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
  }

  private static Optional<String> setting(UnaryOperator<String> lookup, String name) {
    return Optional.ofNullable(lookup.apply(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'", e);
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
