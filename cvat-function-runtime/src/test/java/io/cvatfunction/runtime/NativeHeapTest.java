package io.cvatfunction.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
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
    assumeTrue(hasMallinfo2(), "the probe reads mallinfo2: glibc 2.33 or later");
    assertEquals("control mapped 1, settings applied true, block mapped 0", probe(Map.of()));
  }

  @Test
  void aProcessGivenItsOwnMallocSettingsKeepsThem() throws Exception {
    assumeTrue(Platform.isLinux(), "glibc's settings: Linux only");
    assumeTrue(hasMallinfo2(), "the probe reads mallinfo2: glibc 2.33 or later");
    assertEquals("control mapped 1, settings applied false, block mapped 1",
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

  private static boolean hasMallinfo2() {
    try {
      LibC.INSTANCE.mallinfo2();
      return true;
    } catch (UnsatisfiedLinkError olderOrNotGlibc) {
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
   * Counts the blocks glibc maps on their own ({@code mallinfo2().hblks}) while one is held: first a 16 MiB control,
   * which the defaults map, then a 28 MiB block (beyond where the freed control moved glibc's own threshold).
   */
  public static final class Probe {
    public static void main(String[] args) {
      long control = mappedWhileHeld(CONTROL);
      boolean applied = NativeHeap.keepFreedMemory();
      long block = mappedWhileHeld(BLOCK);
      System.out.println("control mapped " + control + ", settings applied " + applied + ", block mapped " + block);
    }

    private static long mappedWhileHeld(long size) {
      long before = LibC.INSTANCE.mallinfo2().hblks.longValue();
      Pointer block = LibC.INSTANCE.malloc(size);
      block.setByte(size - 1, (byte) 1);
      long held = LibC.INSTANCE.mallinfo2().hblks.longValue();
      LibC.INSTANCE.free(block);
      return held - before;
    }
  }

  /** glibc's {@code struct mallinfo2}. */
  public static class MallInfo2 extends Structure implements Structure.ByValue {
    public NativeLong arena;
    public NativeLong ordblks;
    public NativeLong smblks;
    public NativeLong hblks;
    public NativeLong hblkhd;
    public NativeLong usmblks;
    public NativeLong fsmblks;
    public NativeLong uordblks;
    public NativeLong fordblks;
    public NativeLong keepcost;

    @Override
    protected List<String> getFieldOrder() {
      return List.of("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
          "keepcost");
    }
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

    Pointer malloc(long size);

    void free(Pointer block);

    MallInfo2 mallinfo2();
  }
}
