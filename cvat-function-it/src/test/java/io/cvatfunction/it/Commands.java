package io.cvatfunction.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs command-line tools (skopeo, umoci, mvnw) and fails with their output when they fail. */
final class Commands {

  private Commands() {}

  /** Runs {@code command} in {@code dir}, output to {@code log}; returns the output. */
  static String run(Path dir, Path log, long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + " ran over " + timeoutSeconds + " s; see " + log);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      String tail = output.length() > 6000 ? output.substring(output.length() - 6000) : output;
      throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + tail);
    }
    return output;
  }

  /** Runs a short command and returns its output. */
  static String run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("cmd", ".log");
    try {
      return run(Path.of("."), log, 600, command);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
