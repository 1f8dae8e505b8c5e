package io.cvatfunction.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeHeap} on the C library the tests run on: a block of 28 MiB, which glibc would map on its own and unmap
 * when freed, comes from the heap once the settings are made. Each case runs in a fresh JVM, since glibc's defaults
 * move as a process frees blocks and the settings hold for the whole process.
 */
class NativeHeapTest {

  private static final long CONTROL = 16L << 20;
  private static final long BLOCK = 28L << 20;

  @Test
  void aBlockGlibcWouldMapAloneComesFromTheHeapOnceTheSettingsAreMade() throws Exception {
    assumeTrue(Platform.isLinux(), "glibc's settings: Linux only");
    assumeTrue(glibc(), "the probe reads glibc's chunk headers");
    assertEquals("control mapped true, settings applied true, block mapped false", probe(Map.of()));
  }

  @Test
  void aProcessGivenItsOwnMallocSettingsKeepsThem() throws Exception {
    assumeTrue(Platform.isLinux(), "glibc's settings: Linux only");
    assumeTrue(glibc(), "the probe reads glibc's chunk headers");
    assertEquals("control mapped true, settings applied false, block mapped true",
        probe(Map.of("MALLOC_TOP_PAD_", "131072")));
  }

  @Test
  void ownSettingsAreTheThresholdsAsVariablesOrTunables() {
    assertTrue(NativeHeap.hasOwnSettings(Map.of("MALLOC_MMAP_THRESHOLD_", "1048576")));
    assertTrue(NativeHeap.hasOwnSettings(Map.of("MALLOC_TRIM_THRESHOLD_", "0")));
    assertTrue(NativeHeap.hasOwnSettings(Map.of("MALLOC_TOP_PAD_", "131072")));
    assertTrue(NativeHeap.hasOwnSettings(Map.of("MALLOC_MMAP_MAX_", "0")));
    assertTrue(NativeHeap.hasOwnSettings(Map.of("GLIBC_TUNABLES", "glibc.pthread.rseq=0:glibc.malloc.top_pad=0")));
    assertFalse(NativeHeap.hasOwnSettings(Map.of("MALLOC_ARENA_MAX", "2")), "fewer arenas leave the thresholds alone");
    String otherTunables = "glibc.malloc.arena_max=2:glibc.malloc.tcache_count=7";
    assertFalse(NativeHeap.hasOwnSettings(Map.of("GLIBC_TUNABLES", otherTunables)), "nor do other tunables");
    assertFalse(NativeHeap.hasOwnSettings(Map.of()));
  }

  private static boolean glibc() {
    try {
      return !LibC.INSTANCE.gnu_get_libc_version().isEmpty();
    } catch (UnsatisfiedLinkError notGlibc) {
      return false;
    }
  }

  /** Runs {@link Probe} in a fresh JVM whose environment has no malloc settings but {@code extra}. */
  private static String probe(Map<String, String> extra) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Probe.class.getName()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("MALLOC_") || name.equals("GLIBC_TUNABLES"));
    builder.environment().putAll(extra);
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe did not end in a minute");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    List<String> lines = output.lines().toList();
    assertEquals(0, process.exitValue(), output);
    return lines.get(lines.size() - 1);
  }

  /**
   * Whether glibc mapped a block on its own, read from the block's chunk header (its size word's {@code IS_MMAPPED}
   * bit): first a 16 MiB control, which the defaults map, then a 28 MiB block (beyond where the freed control moved
   * glibc's own threshold). The header says it of that block alone, whatever the JVM's other threads allocate.
   */
  public static final class Probe {
    private static final long IS_MMAPPED = 0x2;

    public static void main(String[] args) {
      boolean control = mapped(CONTROL);
      boolean applied = NativeHeap.keepFreedMemory();
      boolean block = mapped(BLOCK);
      System.out.println("control mapped " + control + ", settings applied " + applied + ", block mapped " + block);
    }

    private static boolean mapped(long size) {
      Pointer block = LibC.INSTANCE.malloc(size);
      block.setByte(size - 1, (byte) 1);
      boolean mapped = (block.getLong(-Long.BYTES) & IS_MMAPPED) != 0;
      LibC.INSTANCE.free(block);
      return mapped;
    }
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

    Pointer malloc(long size);

    void free(Pointer block);

    String gnu_get_libc_version();
  }
}
