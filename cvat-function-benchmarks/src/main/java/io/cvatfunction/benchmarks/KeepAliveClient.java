package io.cvatfunction.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client for one keep-alive connection that costs next to nothing per request: each request (headers
 * and body) is built once, written with one call, and the answer is read with its Content-Length. What it
 * measures is the server and the loopback, not a client library's machinery.
 */
final class KeepAliveClient implements AutoCloseable {

  /**
   * One answer: which request it answers, its status, the server's stage times ({@code Server-Timing}), the
   * client-side latency and the body.
   */
  record Answer(int request, int status, double millis, Map<String, Double> stages, byte[] body) {}

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final List<byte[]> requests;

  /**
   * @param jsonBodies the bodies this client may send, by index
   */
  KeepAliveClient(int port, List<byte[]> jsonBodies) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    requests = new ArrayList<>(jsonBodies.size());
    for (byte[] jsonBody : jsonBodies) {
      byte[] head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + jsonBody.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] request = new byte[head.length + jsonBody.length];
      System.arraycopy(head, 0, request, 0, head.length);
      System.arraycopy(jsonBody, 0, request, head.length, jsonBody.length);
      requests.add(request);
    }
  }

  /** Sends request {@code index} and reads its answer. */
  Answer send(int index) throws IOException {
    long start = System.nanoTime();
    out.write(requests.get(index));
    out.flush();
    int status = -1;
    long length = -1;
    Map<String, Double> stages = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      if (status < 0) {
        status = Integer.parseInt(line.split(" ")[1]);
        continue;
      }
      int colon = line.indexOf(':');
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equals("server-timing")) {
        for (String part : value.split(",\\s*")) {
          String[] kv = part.split(";dur=");
          if (kv.length == 2) {
            stages.put(kv[0], Double.parseDouble(kv[1]));
          }
        }
      }
    }
    if (length < 0) {
      throw new IOException("the answer has no Content-Length");
    }
    byte[] body = in.readNBytes((int) length);
    double millis = (System.nanoTime() - start) / 1e6;
    return new Answer(index, status, millis, stages, body);
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the server closed the connection");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
