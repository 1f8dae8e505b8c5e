package io.cvatfunction.runtime.server;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what native libraries write to standard error (libpng's and libjpeg's warnings through OpenCV, libtorch's
 * notices) into JSON log lines, so that the process's output stays one JSON object per line. The process's file
 * descriptor 2 becomes a pipe; a daemon thread reads it line by line and logs each as a warning. The JVM's own fatal
 * error report goes to standard output and a file, not through here.
 */
final class NativeStderr {

  private static final Logger LOG = LoggerFactory.getLogger("io.cvatfunction.native");
  private static final int STDERR = 2;
  private static final int LONGEST_LINE = 4096;

  private interface C extends Library {
    int pipe(int[] descriptors);

    int dup2(int from, int to);

    int close(int descriptor);
  }

  private NativeStderr() {}

  /** Redirects standard error into the log; where that cannot be done (not Linux), it stays as it is. */
  static void capture() {
    int[] pipe = new int[2];
    C c;
    try {
      c = Native.load("c", C.class);
    } catch (UnsatisfiedLinkError e) {
      LOG.warn("native standard error stays as it is: {}", e.getMessage());
      return;
    }
    if (c.pipe(pipe) != 0) {
      LOG.warn("native standard error stays as it is: pipe() failed");
      return;
    }
    FileInputStream reading;
    try {
      reading = new FileInputStream("/proc/self/fd/" + pipe[0]);
    } catch (IOException e) {
      c.close(pipe[0]);
      c.close(pipe[1]);
      LOG.warn("native standard error stays as it is: {}", e.getMessage());
      return;
    }
    c.close(pipe[0]); // the stream holds its own descriptor of the pipe
    if (c.dup2(pipe[1], STDERR) < 0) {
      c.close(pipe[1]);
      LOG.warn("native standard error stays as it is: dup2() failed");
      return;
    }
    c.close(pipe[1]);
    Thread reader = new Thread(() -> relay(reading), "native-stderr");
    reader.setDaemon(true);
    reader.start();
  }

  private static void relay(FileInputStream reading) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(reading, StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (!line.isBlank()) {
          LOG.warn(line.length() > LONGEST_LINE ? line.substring(0, LONGEST_LINE) + " (cut)" : line);
        }
      }
    } catch (IOException e) {
      LOG.warn("native standard error could not be read any more: {}", e.getMessage());
    }
  }
}
