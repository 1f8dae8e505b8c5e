package io.cvatfunction.maven.nuclio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one nuctl command as an argument list (never through a shell), with no input, draining both output streams
 * while it runs and stopping it when it runs too long.
 */
public final class NuctlProcess {

  private NuctlProcess() {}

  /**
   * What a run of nuctl gave.
   *
   * @param exitCode its exit status
   * @param stdout everything it printed on stdout
   * @param stderr everything it printed on stderr
   */
  public record Result(int exitCode, String stdout, String stderr) {

    /** Whether it exited 0. */
    public boolean ok() {
      return exitCode == 0;
    }

    /** stdout and stderr together. */
    public String output() {
      return stdout + (stdout.isEmpty() || stdout.endsWith("\n") ? "" : "\n") + stderr;
    }

    /**
     * The line that says what went wrong: nuctl prints {@code Error - <cause>} first for most failures, and
     * a bare message (e.g. {@code No functions found}) for "not found" ones.
     */
    public String headline() {
      List<String> lines = output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      return lines.stream().filter(l -> l.startsWith("Error - ")).findFirst().map(l -> l.substring(8))
          .orElse(lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1));
    }

    /** The last lines of output. */
    public List<String> tail(int lines) {
      List<String> all = output().lines().filter(l -> !l.isBlank()).toList();
      return all.subList(Math.max(0, all.size() - lines), all.size());
    }
  }

  /** nuctl ran longer than allowed and was stopped. */
  public static final class TimedOut extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Result partial;

    TimedOut(Result partial) {
      super("timed out", null, false, false);
      this.partial = partial;
    }

    /** What it printed before it was stopped. */
    public Result partial() {
      return partial;
    }
  }

  /**
   * Runs a command and collects its output.
   *
   * @param timeout how long it may run before it is stopped
   * @param lines gets each output line as it comes
   * @throws IOException when it cannot be started
   * @throws TimedOut when it ran past {@code timeout}
   */
  public static Result run(List<String> command, Duration timeout, Consumer<String> lines)
      throws IOException, InterruptedException, TimedOut {
    ProcessBuilder builder = new ProcessBuilder(command);
    Process process = builder.start();
    process.getOutputStream().close(); // no input: nuctl must never wait for a prompt in CI
    StringBuilder stdout = new StringBuilder();
    StringBuilder stderr = new StringBuilder();
    // Both streams are drained while the process runs, so a chatty nuctl never blocks on a full pipe.
    Thread out = drain(process.getInputStream(), stdout, lines);
    Thread err = drain(process.getErrorStream(), stderr, lines);
    boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    out.join(5000);
    err.join(5000);
    Result result;
    synchronized (stdout) {
      synchronized (stderr) {
        result = new Result(finished ? process.exitValue() : -1, stdout.toString(), stderr.toString());
      }
    }
    if (!finished) {
      throw new TimedOut(result);
    }
    return result;
  }

  private static Thread drain(InputStream stream, StringBuilder sink, Consumer<String> lines) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (sink) {
            sink.append(line).append('\n');
          }
          lines.accept(line);
        }
      } catch (IOException e) {
        // the process was stopped; what was read so far is kept
      }
    }, "nuctl-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

}
