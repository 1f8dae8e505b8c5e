package io.cvatfunction.runtime.image;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the GPU path's test frames showed, decoder by decoder: a decoder serves only when each test frame it took gave
 * the CPU path's model input within one grey level, at no more than 1% of the values; the GPU path serves only when
 * each baseline test frame has such a decoder. A decoder that got one frame wrong is left unused and named, with the
 * frame; the frames it would have taken go to the next decoder, or to the CPU.
 */
final class DecoderProof {

  private final List<String> decoders;
  private final Map<String, Set<String>> passedBy = new LinkedHashMap<>(); // test frame → decoders that gave its input
  private final Set<String> baseline = new LinkedHashSet<>();
  private final Map<String, String> failures = new LinkedHashMap<>(); // decoder → why it is not used
  private final Map<String, Tally> passed = new LinkedHashMap<>(); // by decoder

  /** The test frames a decoder gave right, and their values a grey level off. */
  private static final class Tally {
    int frames;
    long valuesOff;
    long values;
  }

  /** A proof of {@code decoders}, by their names. */
  DecoderProof(List<String> decoders) {
    this.decoders = List.copyOf(decoders);
  }

  /** A test frame is about to go through the decoders; a baseline frame must be given by one of them. */
  void frame(String frame, boolean isBaseline) {
    passedBy.putIfAbsent(frame, new LinkedHashSet<>());
    if (isBaseline) {
      baseline.add(frame);
    }
  }

  /** Compares the input from {@code decoder}'s planes of {@code frame} with the CPU path's. */
  void compare(String frame, String decoder, float[] gpu, float[] cpu) {
    int differ = 0;
    double worst = 0;
    for (int i = 0; i < gpu.length; i++) {
      double levels = Math.abs(gpu[i] - cpu[i]) * 255;
      if (!(levels < 0.5)) { // NaN included
        differ++;
        worst = Double.isNaN(levels) ? Double.POSITIVE_INFINITY : Math.max(worst, levels);
      }
    }
    if (worst > 1.5 || differ > gpu.length / 100) {
      failures.putIfAbsent(decoder, String.format(Locale.ROOT, "its input for the %s test frame differs from"
          + " OpenCV's in %d of %d values, by up to %.1f grey levels", frame, differ, cpu.length, worst));
      return;
    }
    passedBy.computeIfAbsent(frame, f -> new LinkedHashSet<>()).add(decoder);
    Tally tally = passed.computeIfAbsent(decoder, d -> new Tally());
    tally.frames++;
    tally.valuesOff += differ;
    tally.values += gpu.length;
  }

  /**
   * The decoders proven: each gave every test frame it took right, at least one.
   *
   * @throws GpuUnavailableException when a baseline test frame has no such decoder
   */
  Set<String> proven() throws GpuUnavailableException {
    Set<String> proven = new LinkedHashSet<>(decoders);
    proven.retainAll(passed.keySet());
    proven.removeAll(failures.keySet());
    for (String frame : baseline) {
      if (passedBy.get(frame).stream().noneMatch(proven::contains)) {
        throw new GpuUnavailableException("no nvJPEG decoder gave the CPU path's input for the baseline " + frame
            + " test frame" + (failures.isEmpty() ? " (none took it)" : ": " + failuresText()), null);
      }
    }
    return proven;
  }

  /** The decoders left unused, each with why, for the start-up log; empty when every decoder is used. */
  List<String> unused() {
    return decoders.stream().filter(d -> failures.containsKey(d) || !passed.containsKey(d))
        .map(d -> d + ": " + failures.getOrDefault(d, "it took none of the test frames")).toList();
  }

  private String failuresText() {
    return failures.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
  }

  /** For the start-up log: how the proven decoders' test frames compared, and how many each took. */
  @Override
  public String toString() {
    long valuesOff = 0;
    long values = 0;
    StringBuilder frames = new StringBuilder();
    for (Map.Entry<String, Tally> decoder : passed.entrySet()) {
      if (!failures.containsKey(decoder.getKey())) {
        Tally tally = decoder.getValue();
        valuesOff += tally.valuesOff;
        values += tally.values;
        frames.append(frames.isEmpty() ? "" : ", ").append(decoder.getKey()).append(' ').append(tally.frames);
      }
    }
    return (valuesOff == 0 ? "test frames equal to OpenCV's" : String.format(Locale.ROOT,
        "test frames within one grey level of OpenCV's, %d of %d values off", valuesOff, values))
        + " (test frames by decoder: " + frames + ")";
  }
}
