package io.cvatfunction.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * glibc's heap, where libtorch's CPU tensors and OpenCV's frames live. By default glibc gives a freed block of more
 * than a few megabytes back to the kernel at once (its mmap and trim thresholds); a forward pass frees its
 * activations, so the next pass takes every page again as a fresh page fault, which the kernel zeroes: on the CPU
 * the largest cost of a pass after its convolutions (the benchmarks README has the figures). While the function
 * works, freed memory therefore stays in the process for the next pass; {@link #giveBackFreed} hands it back once
 * the function is quiet.
 *
 * <p>A process given its own glibc malloc settings ({@code MALLOC_*_} variables or {@code glibc.malloc} tunables)
 * keeps them; on a C library other than glibc both calls do nothing.
 */
public final class NativeHeap {

  private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);

  // mallopt's parameters, from glibc's malloc.h
  private static final int M_TRIM_THRESHOLD = -1;
  private static final int M_MMAP_THRESHOLD = -3;

  /** The largest block glibc lets its heap serve (half its 64 MiB per-thread heap); larger ones are mapped alone. */
  static final long MMAP_THRESHOLD = 32L << 20;

  /** Free space at a heap's top kept while working; {@link #giveBackFreed} returns it. */
  static final long TRIM_THRESHOLD = 1L << 30;

  private static final String[] OWN_SETTINGS = {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
      "MALLOC_TOP_PAD_"};

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

  /** Whether the environment carries glibc malloc settings of its own, which this class then leaves alone. */
  static boolean hasOwnSettings(Map<String, String> environment) {
    return Stream.of(OWN_SETTINGS).anyMatch(environment::containsKey)
        || environment.getOrDefault("GLIBC_TUNABLES", "").contains("glibc.malloc.");
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
