package io.cvatfunction.runtime.annotate;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Frame numbers written as ranges, {@code 0-99,120,130-140}: how {@code frames} is given and how progress is told. */
public final class FrameRanges {

  private FrameRanges() {}

  /**
   * The frames of {@code text}: comma-separated {@code a-b} (inclusive) or single numbers.
   *
   * @throws IllegalArgumentException saying what is wrong and what is expected
   */
  public static SortedSet<Integer> parse(String text) {
    SortedSet<Integer> frames = new TreeSet<>();
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("frames is empty: give a range such as 0-99, or ranges such as 0-99,200-299");
    }
    for (String part : text.split(",")) {
      String range = part.trim();
      if (!range.matches("\\d{1,9}(-\\d{1,9})?")) {
        throw new IllegalArgumentException("frames '" + text + "' is not understood at '" + range
            + "': give ranges of task frame numbers such as 0-99 or 0-99,200-299 (first and last included)");
      }
      int dash = range.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
      if (to < from) {
        throw new IllegalArgumentException("frames range " + range + " ends before it starts: write it as " + to + "-"
            + from);
      }
      for (int frame = from; frame <= to; frame++) {
        frames.add(frame);
      }
    }
    return frames;
  }

  /** {@code frames} as the shortest list of ranges, e.g. {@code 0-63,128-191}; empty for none. */
  public static String format(SortedSet<Integer> frames) {
    List<String> ranges = new ArrayList<>();
    Integer start = null;
    Integer previous = null;
    for (int frame : frames) {
      if (previous != null && frame == previous + 1) {
        previous = frame;
        continue;
      }
      if (start != null) {
        ranges.add(start.equals(previous) ? start.toString() : start + "-" + previous);
      }
      start = frame;
      previous = frame;
    }
    if (start != null) {
      ranges.add(start.equals(previous) ? start.toString() : start + "-" + previous);
    }
    return String.join(",", ranges);
  }
}
