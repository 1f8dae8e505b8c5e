package io.cvatfunction.contract;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go duration strings ({@code 30s}, {@code 1m30s}, {@code 500ms}), the format of Nuclio's timeouts. */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  private GoDuration() {}

  /** Whether {@code text} is a Go duration, the check {@code cvat:lint} makes on {@code spec.eventTimeout}. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Parses a Go duration.
   *
   * @throws IllegalArgumentException naming the accepted form when {@code text} is not one
   */
  public static Duration parse(String text) {
    String value = text == null ? "" : text.trim();
    if (value.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = PART.matcher(value);
    double nanos = 0;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      nanos += Double.parseDouble(matcher.group(1)) * unitNanos(matcher.group(2));
      end = matcher.end();
    }
    if (end == 0 || end != value.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration: write it as Go does, e.g. 30s, 1m30s or 500ms");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  private static double unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs", "μs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
  }
}
