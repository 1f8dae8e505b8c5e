package io.cvatfunction.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** This process's GPU memory as nvidia-smi reports it: what the device holds for it, the CUDA context included. */
final class GpuMemory {

  private GpuMemory() {}

  /** Prints it, labelled {@code when}; prints nothing where there is no nvidia-smi (a CPU run). */
  static void print(String when) {
    try {
      Process smi = new ProcessBuilder("nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader")
          .redirectErrorStream(true).start();
      String pid = Long.toString(ProcessHandle.current().pid());
      String mine = new String(smi.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(line -> line.startsWith(pid + ",")).findFirst()
          .map(line -> line.substring(line.indexOf(',') + 1).trim()).orElse("not listed");
      smi.waitFor();
      System.out.printf("GPU memory %s: %s%n", when, mine);
    } catch (IOException noGpu) {
      // no nvidia-smi: a CPU run
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
