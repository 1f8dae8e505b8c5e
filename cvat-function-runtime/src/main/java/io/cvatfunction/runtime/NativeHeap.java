package io.cvatfunction.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * glibc's heap, where libtorch's CPU tensors and OpenCV's frames live. glibc maps a block above its mmap threshold on
 * its own and unmaps it when freed, and gives a heap's free top back to the kernel above its trim threshold; both start
 * at 128 KiB and rise only as far as the largest mapped block freed so far. A forward pass frees its activations, so
 * the next pass took their pages again as fresh page faults, which the kernel zeroes: on the CPU the largest cost of a
 * pass after its convolutions (the benchmarks README has the figures). The thresholds are therefore fixed high while
 * the function works; {@link #giveBackFreed} hands free memory back once it is quiet. That returns all of the main
 * heap's, but of a per-thread heap only what lies below its top: the free top of each thread's heap (at most the
 * heap's 64 MiB) stays until that thread frees again, and glibc still unmaps a per-thread heap that empties.
 *
 * <p>A process given thresholds of its own ({@code MALLOC_MMAP_THRESHOLD_}, {@code MALLOC_TRIM_THRESHOLD_},
 * {@code MALLOC_TOP_PAD_}, {@code MALLOC_MMAP_MAX_}, or those {@code glibc.malloc} tunables) keeps them; other malloc
 * settings, such as the number of arenas, are unaffected. On a C library other than glibc both calls do nothing.
 */
public final class NativeHeap {

  private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);

  // mallopt's parameters, from glibc's malloc.h
  private static final int M_TRIM_THRESHOLD = -1;
  private static final int M_MMAP_THRESHOLD = -3;

  /** The largest block glibc lets its heap serve (half its 64 MiB per-thread heap); larger ones are mapped alone. */
  static final long MMAP_THRESHOLD = 32L << 20;

  /** Free space a heap's top keeps while working (the main heap's goes back with {@link #giveBackFreed}). */
  static final long TRIM_THRESHOLD = 1L << 30;

  /** The settings that fix glibc's thresholds: tunables {@code glibc.malloc.*}, variables {@code MALLOC_*_}. */
  private static final List<String> THRESHOLDS = List.of("mmap_threshold", "trim_threshold", "top_pad", "mmap_max");

  private NativeHeap() {}

  /**
   * Keeps freed memory in the process while it works. Call once the process starts its work, before the model
   * loads; later calls change nothing.
   *
   * @return whether glibc took the settings (false: another C library, or the process has its own)
   */
  public static boolean keepFreedMemory() {
    return Settings.APPLIED;
  }

  /** Hands freed memory back to the kernel: when the function has gone quiet. */
  public static void giveBackFreed() {
    if (glibc()) {
      try {
        LibC.INSTANCE.malloc_trim(0);
      } catch (UnsatisfiedLinkError notGlibc) {
        LOG.debug("no malloc_trim: {}", notGlibc.getMessage());
      }
    }
  }

  /**
   * Whether the environment sets one of the thresholds this class would set, or one glibc ties to them (any of these
   * turns glibc's moving thresholds off), as a variable or a tunable; this class then leaves glibc as it was given.
   */
  static boolean hasOwnSettings(Map<String, String> environment) {
    String tunables = environment.getOrDefault("GLIBC_TUNABLES", "");
    return THRESHOLDS.stream().anyMatch(name -> environment.containsKey("MALLOC_" + name.toUpperCase(Locale.ROOT) + "_")
        || tunables.contains("glibc.malloc." + name + "="));
  }

  private static boolean glibc() {
    return Platform.isLinux() && !Platform.isAndroid();
  }

  private static final class Settings {
    static final boolean APPLIED = apply();

    private static boolean apply() {
      if (!glibc()) {
        return false;
      }
      if (hasOwnSettings(System.getenv())) {
        LOG.debug("glibc's malloc settings come from the environment; left as they are");
        return false;
      }
      try {
        boolean applied = LibC.INSTANCE.mallopt(M_MMAP_THRESHOLD, (int) MMAP_THRESHOLD) == 1
            & LibC.INSTANCE.mallopt(M_TRIM_THRESHOLD, (int) TRIM_THRESHOLD) == 1;
        if (!applied) {
          LOG.warn("glibc refused a malloc setting: freed tensors may go back to the kernel after every pass");
        }
        return applied;
      } catch (UnsatisfiedLinkError notGlibc) { // musl has no mallopt settings to make
        LOG.debug("no mallopt: {}", notGlibc.getMessage());
        return false;
      }
    }
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

    int mallopt(int parameter, int value);

    int malloc_trim(long pad);
  }
}
