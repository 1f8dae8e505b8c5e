package io.cvatfunction.benchmarks;

import static io.cvatfunction.benchmarks.LoopbackServer.percentile;
import static io.cvatfunction.benchmarks.LoopbackServer.rssKb;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.Parity.FixtureModel;
import io.cvatfunction.runtime.server.FunctionServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The function server (YOLOv8n, 2 workers, CPU) under a hostile mix, as an attacker and CVAT would share it: normal
 * clients send the 12 fixture frames, each answer checked against Ultralytics' reference, first alone (the unloaded
 * p99), then beside hostile clients that send, in turn, a progressive JPEG of 2,000 scans (under 1 MB), a TIFF of 16×16 pixels in
 * 65,520×65,520 tiles, a PNG with a 9 MB text chunk, a chunk size of 2^59, a truncated JPEG, and uploads that stop
 * half-way and hold their connection. It reports the normal requests' p50 and p99 alone and under the mix, the
 * statuses of both kinds, the longest a hostile request took to be answered, and the process's RSS before, after
 * the mix, and a minute later.
 *
 * <p>System properties: {@code hostile.minutes} (the mix, default 5), {@code hostile.aloneSeconds} (the unloaded
 * phase, 60), {@code hostile.clients} (normal clients, 2), {@code hostile.attackers} (4), {@code cvat.readTimeout}
 * (the stalled uploads' bound, default 60s). Exits 1 when a normal request was refused or answered wrong.
 */
public final class HostileSoak {

  private HostileSoak() {}

  public static void main(String[] args) throws Exception {
    double minutes = Double.parseDouble(System.getProperty("hostile.minutes", "5"));
    int aloneSeconds = Integer.getInteger("hostile.aloneSeconds", 60);
    int clients = Integer.getInteger("hostile.clients", 2);
    int attackers = Integer.getInteger("hostile.attackers", 4);
    Map<String, String> settings = Map.of("cvat.device", "cpu", "cvat.workers", "2",
        "cvat.readTimeout", System.getProperty("cvat.readTimeout", "60s"));
    int exit;
    try (FunctionServer server = LoopbackServer.startReady(new RequestBenchmark.V8(), settings)) {
      Requests normal = Requests.of(FixtureModel.YOLOV8N, Fixtures.FRAMES);
      List<Hostile> hostile = hostileRequests();
      long rssWarm = rssKb();
      Phase alone = run(server.port(), normal, clients, List.of(), 0, aloneSeconds);
      long rssBefore = rssKb();
      Phase mixed = run(server.port(), normal, clients, hostile, attackers, (int) (minutes * 60));
      long rssAfter = rssKb();
      Thread.sleep(60_000);
      long rssLater = rssKb();

      System.out.printf("%nnormal requests alone, %d clients, %d s: p50 %.1f ms, p99 %.1f ms, statuses %s%n",
          clients, aloneSeconds, percentile(alone.normalMillis(), 50), percentile(alone.normalMillis(), 99),
          alone.normalStatuses());
      System.out.printf("normal requests beside %d attackers, %.1f min: p50 %.1f ms, p99 %.1f ms (%.2f× alone),"
          + " statuses %s%n", attackers, minutes, percentile(mixed.normalMillis(), 50),
          percentile(mixed.normalMillis(), 99), percentile(mixed.normalMillis(), 99)
              / percentile(alone.normalMillis(), 99), mixed.normalStatuses());
      System.out.printf("hostile requests: %s; the longest took %.1f s to be answered or cut off%n",
          mixed.hostileStatuses(), mixed.longestHostileMillis() / 1000.0);
      System.out.printf("RSS: warm %d MB, after the unloaded phase %d MB, after the mix %d MB, a minute later %d MB%n",
          rssWarm / 1024, rssBefore / 1024, rssAfter / 1024, rssLater / 1024);
      System.out.printf("normal answers checked: %d, not matching Ultralytics: %d%n", normal.checked(),
          normal.mismatches());
      boolean refused = mixed.normalStatuses().keySet().stream().anyMatch(s -> !s.equals("200"))
          || alone.normalStatuses().keySet().stream().anyMatch(s -> !s.equals("200"));
      exit = refused || normal.mismatches() > 0 ? 1 : 0;
    }
    System.exit(exit);
  }

  /** One hostile request: how it is sent, and what it is. */
  private record Hostile(String name, Attack attack) {}

  @FunctionalInterface
  private interface Attack {
    /** Sends it on its own connection and returns the status, or a word for what happened. */
    String send(int port) throws IOException;
  }

  private record Phase(List<Double> normalMillis, Map<String, AtomicLong> normalStatuses,
      Map<String, AtomicLong> hostileStatuses, double longestHostileMillis) {}

  private static Phase run(int port, Requests normal, int clients, List<Hostile> hostile, int attackers, int seconds)
      throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Double> normalMillis = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicLong> normalStatuses = new ConcurrentHashMap<>();
    Map<String, AtomicLong> hostileStatuses = new ConcurrentHashMap<>();
    AtomicLong longest = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients + attackers);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int first = c;
      running.add(pool.submit(() -> {
        try (KeepAliveClient client = new KeepAliveClient(port, normal.json())) {
          for (int i = 0; System.nanoTime() < end; i++) {
            KeepAliveClient.Answer answer = normal.check(client.send((first + i) % normal.json().size()));
            normalMillis.add(answer.millis());
            normalStatuses.computeIfAbsent(Integer.toString(answer.status()), k -> new AtomicLong()).incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (int a = 0; a < attackers; a++) {
      int first = a;
      running.add(pool.submit(() -> {
        for (int i = 0; System.nanoTime() < end; i++) {
          Hostile request = hostile.get((first + i) % hostile.size());
          long start = System.nanoTime();
          String status;
          try {
            status = request.attack().send(port);
          } catch (IOException e) {
            status = "closed";
          }
          longest.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
          hostileStatuses.computeIfAbsent(request.name() + " " + status, k -> new AtomicLong()).incrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> client : running) {
      client.get(seconds + 180L, TimeUnit.SECONDS);
    }
    pool.shutdown();
    return new Phase(normalMillis, new TreeMap<>(normalStatuses), new TreeMap<>(hostileStatuses), longest.get());
  }

  private static List<Hostile> hostileRequests() {
    byte[] jpeg = Fixtures.frame("008.jpg");
    return List.of(
        new Hostile("2000-scan JPEG", port -> post(port, json(manyScans(2_000)))),
        new Hostile("TIFF in huge tiles", port -> post(port, json(tiledTiff()))),
        new Hostile("9 MB PNG text chunk", port -> post(port, json(pngWithText(9_000_000)))),
        new Hostile("truncated JPEG", port -> post(port, json(java.util.Arrays.copyOf(jpeg, jpeg.length / 2)))),
        new Hostile("chunk size 2^59", port -> exchange(port, ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:"
            + " chunked\r\n\r\n800000000000000\r\nGET /__internal/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII))),
        new Hostile("stalled upload", port -> exchange(port, ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 33554432"
            + "\r\n\r\n{\"image\": \"").getBytes(StandardCharsets.US_ASCII))));
  }

  private static byte[] json(byte[] frame) {
    return ("{\"image\": \"" + Base64.getEncoder().encodeToString(frame) + "\"}").getBytes(StandardCharsets.US_ASCII);
  }

  private static String post(int port, byte[] body) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    request.write(body);
    return exchange(port, request.toByteArray());
  }

  /** Writes the bytes, then reads the status line of the answer; waits at most 5 minutes. */
  private static String exchange(int port, byte[] bytes) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(300_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(12);
      return head.length < 12 ? "closed" : new String(head, 9, 3, StandardCharsets.US_ASCII);
    }
  }

  /** A progressive 320×180 JPEG of 000.jpg with its last scan repeated to {@code scans} scans in all (under 1 MB). */
  private static byte[] manyScans(int scans) {
    Mat full = Imgcodecs.imdecode(new MatOfByte(Fixtures.frame("000.jpg")), Imgcodecs.IMREAD_COLOR);
    Mat frame = new Mat();
    Imgproc.resize(full, frame, new Size(320, 180), 0, 0, Imgproc.INTER_AREA);
    full.release();
    MatOfByte encoded = new MatOfByte();
    Imgcodecs.imencode(".jpg", frame, encoded, new MatOfInt(Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1));
    byte[] jpeg = encoded.toArray();
    frame.release();
    encoded.release();
    int last = -1;
    int count = 0;
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xda) {
        last = i;
        count++;
      }
    }
    int end = jpeg.length - 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, end);
    for (int i = count; i < scans; i++) {
      out.write(jpeg, last, end - last);
    }
    out.write(jpeg, end, 2);
    return out.toByteArray();
  }

  /** A TIFF header for 16×16 pixels in one tile of 65,520×65,520. */
  private static byte[] tiledTiff() {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 4 * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put("II*\0".getBytes(StandardCharsets.US_ASCII)).putInt(8).putShort((short) 4);
    for (int[] entry : new int[][] {{256, 16}, {257, 16}, {322, 65_520}, {323, 65_520}}) {
      tiff.putShort((short) entry[0]).putShort((short) 4).putInt(1).putInt(entry[1]);
    }
    return tiff.putInt(0).array();
  }

  /** The fixture PNG with a tEXt chunk of {@code length} bytes after its header. */
  private static byte[] pngWithText(int length) {
    byte[] png = Fixtures.frame("003.png");
    int afterIhdr = 8 + 12 + 13;
    byte[] out = new byte[png.length + 12 + length];
    System.arraycopy(png, 0, out, 0, afterIhdr);
    ByteBuffer.wrap(out, afterIhdr, 8).putInt(length).put("tEXt".getBytes(StandardCharsets.US_ASCII));
    System.arraycopy(png, afterIhdr, out, afterIhdr + 12 + length, png.length - afterIhdr);
    return out;
  }

}
