package io.cvatfunction.maven.annotate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The annotating JVM: started with the credentials in its environment, its output copied line by line to Maven's
 * log as it comes (progress, the summary; warnings and the one-line errors at their levels), its exit status returned.
 */
public final class AnnotateProcess {

  /** Where the child's lines go. */
  public interface Log {
    /** An ordinary line. */
    void info(String line);

    /** A warning. */
    void warn(String line);

    /** An error. */
    void error(String line);
  }

  private AnnotateProcess() {}

  /**
   * Runs {@code command} to its end.
   *
   * @param credentials environment variables for the child
   * @return its exit status
   */
  public static int run(List<String> command, Map<String, String> credentials, Log log)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(credentials);
    Process process = builder.start();
    // Ctrl+C on Maven: the child gets SIGTERM, finishes the upload under way and records it in the resume file, its
    // last lines still reach the log (toHandle().destroy() leaves its output open, unlike Process.destroy()).
    Thread stopper = new Thread(() -> {
      process.toHandle().destroy();
      try {
        process.waitFor(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "cvat-annotate-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        route(line, log);
      }
      return process.waitFor();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running
      }
    }
  }

  static void route(String line, Log log) {
    Consumer<String> level = line.startsWith("cvat:annotate: ") || line.startsWith("ERROR ") ? log::error
        : line.startsWith("WARNING ") || line.startsWith("WARN ") ? log::warn : log::info;
    level.accept(line);
  }
}
