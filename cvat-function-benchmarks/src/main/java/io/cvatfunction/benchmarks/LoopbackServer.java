package io.cvatfunction.benchmarks;

import io.cvatfunction.runtime.CvatHandler;
import io.cvatfunction.runtime.server.FunctionServer;
import io.cvatfunction.runtime.server.ProcessorConfig;
import io.cvatfunction.runtime.server.ServerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The function server in this process, as the benchmarks run it: on loopback, ready, and what it costs. */
final class LoopbackServer {

  private LoopbackServer() {}

  /**
   * Starts {@code handler} on 127.0.0.1 (ports chosen by the system) with {@code settings} over the defaults, and waits
   * until it is ready.
   */
  static FunctionServer startReady(CvatHandler handler, Map<String, String> settings) throws InterruptedException {
    Map<String, String> all = new HashMap<>(Map.of("cvat.host", "127.0.0.1", "cvat.port", "0", "cvat.healthPort", "0"));
    all.putAll(settings);
    FunctionServer server = FunctionServer.start(handler,
        ServerSettings.resolve(handler.getClass(), ProcessorConfig.empty(), all::get));
    if (!server.awaitReady(Duration.ofMinutes(5))) {
      server.close();
      throw new IllegalStateException("the function did not become ready");
    }
    return server;
  }

  /** VmRSS of this process in kB, or -1 where /proc is missing. */
  static long rssKb() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** The {@code p}th percentile (nearest rank) of {@code values}, NaN for none. */
  static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
