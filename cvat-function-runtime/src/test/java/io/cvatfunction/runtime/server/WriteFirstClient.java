package io.cvatfunction.runtime.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP client on a plain socket that writes its whole request before it reads a byte of the answer, as
 * Python's {@code requests} (which CVAT uses) and {@code http.client} do. A server that closes the connection
 * while such a client still writes makes it fail with a broken pipe or a reset instead of reading the answer.
 */
final class WriteFirstClient {

  /** An answer: its status, {@code Content-Type} and body. */
  record Answer(int status, String contentType, String body) {}

  private WriteFirstClient() {}

  /** Reads an answer's status line and headers, up to the blank line. */
  static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed after " + head.size() + " bytes of the answer: " + head);
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** POSTs {@code body} to {@code /} with a Content-Length, or chunked; {@code headers} end with CRLF each. */
  static Answer post(int port, byte[] body, boolean chunked, String headers) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
          + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n")
          + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
      int piece = 64 * 1024;
      for (int from = 0; from < body.length; from += piece) {
        int length = Math.min(piece, body.length - from);
        if (chunked) {
          out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(body, from, length);
        if (chunked) {
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
      }
      if (chunked) {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
      return read(socket.getInputStream());
    }
  }

  /** Reads one answer with a Content-Length. */
  static Answer read(InputStream in) throws IOException {
    String[] lines = head(in).split("\r\n");
    int status = Integer.parseInt(lines[0].substring(9, 12));
    String contentType = "";
    int length = 0;
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-type:")) {
        contentType = line.substring(13).trim();
      } else if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return new Answer(status, contentType, new String(in.readNBytes(length), StandardCharsets.UTF_8));
  }
}
