package io.cvatfunction.runtime.annotate;

import java.time.Duration;

/**
 * How often and how patiently a request that met a server error (5xx, 429) or a dropped connection is repeated:
 * {@code attempts} tries in all, waiting {@code firstDelay}, then twice as long each time, at most 30 s.
 *
 * @param attempts tries in all, at least 1
 * @param firstDelay the wait before the second try
 */
public record Retry(int attempts, Duration firstDelay) {

  /** Six tries over about half a minute: a CVAT restarting behind its proxy comes back within that. */
  public static final Retry DEFAULT = new Retry(6, Duration.ofSeconds(1));

  /** Validates the values. */
  public Retry {
    if (attempts < 1) {
      throw new IllegalArgumentException("retry attempts must be at least 1, got " + attempts);
    }
    if (firstDelay.isNegative()) {
      throw new IllegalArgumentException("the retry delay must not be negative, got " + firstDelay);
    }
  }

  /** The wait before try {@code attempt} (2 for the first repeat). */
  Duration delayBefore(int attempt) {
    long millis = firstDelay.toMillis() << Math.min(20, Math.max(0, attempt - 2));
    return Duration.ofMillis(Math.min(millis, 30_000));
  }
}
