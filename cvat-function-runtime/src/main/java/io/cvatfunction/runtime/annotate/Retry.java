package io.cvatfunction.runtime.annotate;

import java.time.Duration;

/**
 * How often and how patiently a request that met a server error (5xx, 429) or a dropped connection is repeated:
 * {@code attempts} tries in all, waiting {@code firstDelay}, then twice as long each time, at most 30 s. A server that
 * is busy and says when to come back (429 or 503 with {@code Retry-After}: CVAT answers so while it prepares a chunk
 * that takes long) is waited for as it asks, without using up a try, while the request is younger than {@code
 * busyPatience}; after that its answers are tries, each waited for as asked up to 30 s.
 *
 * @param attempts tries in all, at least 1
 * @param firstDelay the wait before the second try
 * @param busyPatience how long after its first try a request still waits for a busy server without using up tries
 */
public record Retry(int attempts, Duration firstDelay, Duration busyPatience) {

  /**
   * Six tries over about half a minute (a CVAT restarting behind its proxy comes back within that), and ten minutes
   * for a busy server (CVAT asks to come back in 10 s each time a chunk is not ready within its own 50 s).
   */
  public static final Retry DEFAULT = new Retry(6, Duration.ofSeconds(1), Duration.ofMinutes(10));

  /** Validates the values. */
  public Retry {
    if (attempts < 1) {
      throw new IllegalArgumentException("retry attempts must be at least 1, got " + attempts);
    }
    if (firstDelay.toMillis() < 1) {
      throw new IllegalArgumentException("the retry delay must be at least 1 ms, got " + firstDelay);
    }
    if (busyPatience.isNegative()) {
      throw new IllegalArgumentException("the patience with a busy server must not be negative, got " + busyPatience);
    }
  }

  /** The longest wait between two tries. */
  static final Duration LONGEST_DELAY = Duration.ofSeconds(30);

  /** The wait before try {@code attempt} (2 for the first repeat). */
  Duration delayBefore(int attempt) {
    long millis = firstDelay.toMillis() << Math.min(20, Math.max(0, attempt - 2));
    return Duration.ofMillis(Math.min(millis, LONGEST_DELAY.toMillis()));
  }
}
