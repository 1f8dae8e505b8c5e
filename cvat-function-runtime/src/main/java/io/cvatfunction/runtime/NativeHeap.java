package io.cvatfunction.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
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
 * <p>A process given glibc malloc settings of its own ({@code MALLOC_*} variables or {@code glibc.malloc} tunables)
 * keeps them untouched; on a C library other than glibc both calls do nothing.
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
    return environment.keySet().stream().anyMatch(name -> name.startsWith("MALLOC_"))
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
