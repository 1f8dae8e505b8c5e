package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.Fixtures;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real server in its own JVM, as Nuclio runs it: SIGTERM while requests run finishes them and exits 0, and its
 * output is one JSON object per line, native libraries' standard error included. An integration test (failsafe): it
 * forks a JVM and loads the model there.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SigtermIT {

  private static final Pattern PORTS = Pattern.compile("\"port\":(\\d+),\"healthPort\":(\\d+)");
  private static final int IN_FLIGHT = 4;

  /** The real server in its own JVM, as Nuclio runs it; SIGTERM arrives while four requests are running. */
  @Test
  void sigtermDuringLoadFinishesInFlightRequestsAndExitsZero() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java,
        "-cp", System.getProperty("java.class.path"),
        "-Dcvat.handler=" + SlowShapesDetector.class.getName(),
        "-Dcvat.device=cpu",
        "-Dcvat.host=127.0.0.1",
        // Port 0: the server picks free ports and logs them, so no port can be taken between choosing and binding.
        "-Dcvat.port=0",
        "-Dcvat.healthPort=0",
        "-Dai.djl.offline=true",
        "-Dcvat.test.handleDelayMs=1500",
        FunctionServer.class.getName())
        .start();
    ProcessLog log = new ProcessLog(process.getInputStream());
    ProcessLog stderr = new ProcessLog(process.getErrorStream());
    try {
      String listening = log.await(line -> PORTS.matcher(line).find(), 1, Duration.ofSeconds(30));
      Matcher ports = PORTS.matcher(listening);
      assertTrue(ports.find());
      int port = Integer.parseInt(ports.group(1));
      int healthPort = Integer.parseInt(ports.group(2));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      awaitReady(client, healthPort);

      // libpng warns on its own standard error about this frame's colour profile; the line must reach the JSON log.
      HttpResponse<String> warned = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"image\": \""
              + Base64.getEncoder().encodeToString(pngWithAShortColourProfile()) + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, warned.statusCode(), warned.body());
      log.await(line -> line.startsWith("{") && line.contains("\"logger_name\":\"io.cvatfunction.native\"")
          && line.contains("libpng warning: iCCP: too short"), 1, Duration.ofSeconds(10));

      List<String> frames = List.of("000.jpg", "006.jpg", "007.jpg", "008.jpg");
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT; i++) {
        String body = "{\"image\": \"" + Base64.getEncoder().encodeToString(Fixtures.frame(frames.get(i)))
            + "\", \"threshold\": 0.5}";
        inFlight.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      // Every request is on a worker (it logged its start and now pauses 1.5 s) when SIGTERM is sent; the
      // warm-up request during load logs the marker too, but from the loader thread.
      log.await(line -> line.contains(SlowShapesDetector.MARKER) && line.contains("\"thread_name\":\"function-worker"),
          IN_FLIGHT, Duration.ofSeconds(30));
      // SIGTERM; unlike Process.destroy() this leaves the output stream open, so the last log lines are read.
      assertTrue(process.toHandle().destroy(), "SIGTERM could not be sent");

      for (int i = 0; i < IN_FLIGHT; i++) {
        HttpResponse<String> response = inFlight.get(i).get(60, TimeUnit.SECONDS);
        ParityTest.assertMatches("shapes-yolov8n", frames.get(i), response);
      }
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server did not exit after SIGTERM");
      assertEquals(0, process.exitValue(), "exit status after SIGTERM");
      log.awaitEnd(Duration.ofSeconds(10));
      stderr.awaitEnd(Duration.ofSeconds(10));
      assertEquals("", stderr.text(), "nothing written to standard error: every line is in the JSON log");
      assertTrue(log.text().lines().allMatch(line -> line.startsWith("{") && line.endsWith("}")),
          "one JSON object per line");
      assertTrue(log.text().contains("SIGTERM received"), "no 'SIGTERM received' line");
      // Logged at the very end of close(), after the handler was closed: the JVM did not exit half-way.
      assertTrue(log.text().contains("\"message\":\"stopped\""), "no 'stopped' line");
    } catch (Throwable e) {
      System.out.println("the forked server's log:\n" + log.text() + "\nits standard error:\n" + stderr.text());
      throw e;
    } finally {
      process.destroyForcibly();
    }
  }

  /** An 8 × 8 grey PNG whose iCCP chunk holds too few bytes for a profile: decodable, and libpng warns. */
  static byte[] pngWithAShortColourProfile() {
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    for (int y = 0; y < 8; y++) {
      rows.write(0); // no filter
      rows.writeBytes(new byte[8 * 3]);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(8).putInt(8).put((byte) 8).put((byte) 2).array());
    ByteArrayOutputStream iccp = new ByteArrayOutputStream();
    iccp.writeBytes("bogus".getBytes(StandardCharsets.US_ASCII));
    iccp.writeBytes(new byte[] {0, 0}); // the name's end, compression method 0
    iccp.writeBytes(deflate("not a colour profile".getBytes(StandardCharsets.US_ASCII)));
    chunk(png, "iCCP", iccp.toByteArray());
    chunk(png, "IDAT", deflate(rows.toByteArray()));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    png.writeBytes(typeBytes);
    png.writeBytes(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater();
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }

  private static void awaitReady(HttpClient client, int healthPort) throws Exception {
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    int status;
    do {
      status = client.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode();
      if (status == 200) {
        return;
      }
      Thread.sleep(100); // polling interval only
    } while (System.nanoTime() < deadline);
    throw new AssertionError("the forked server never became ready (last /ready status " + status + ")");
  }

  /** Collects a process's output lines and lets a test wait for lines to appear. */
  private static final class ProcessLog {
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    ProcessLog(InputStream output) {
      reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            synchronized (this) {
              lines.add(line);
              notifyAll();
            }
          }
        } catch (IOException e) {
          synchronized (this) {
            lines.add("(output unreadable: " + e + ")");
          }
        }
      }, "forked-server-log");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits until {@code count} lines match and returns the last of them. */
    synchronized String await(java.util.function.Predicate<String> match, int count, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        List<String> matching = lines.stream().filter(match).toList();
        if (matching.size() >= count) {
          return matching.get(count - 1);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("waited " + timeout + " for " + count + " matching log lines; log:\n" + text());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    /** Waits until the process closed its output and every line was read. */
    void awaitEnd(Duration timeout) throws InterruptedException {
      reader.join(timeout.toMillis());
      assertFalse(reader.isAlive(), "the process's output stayed open");
    }

    synchronized String text() {
      return String.join("\n", lines);
    }
  }
}
