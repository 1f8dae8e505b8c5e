package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BodyReceiver} on a real Undertow on loopback, with small limits: 1 KiB taken, up to 64 KiB of a refused
 * body read to its end, within 1 s, and an upload that sends nothing for 1 s refused. The handler answers 200 with
 * the body's size and hash, 413, 408 for a stalled upload, or 400 with the failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BodyReceiverTest {

  private static final int LIMIT = 1024;
  private static final int DISCARD_LIMIT = 64 * 1024;
  private static final Duration DEADLINE = Duration.ofSeconds(1);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

  private Undertow server;
  private int port;

  @BeforeEach
  void start() {
    serve(new BodyReceiver(LIMIT, DISCARD_LIMIT, DEADLINE, READ_TIMEOUT));
  }

  private void serve(BodyReceiver bodies) {
    HttpHandler answer = new HttpHandler() {
      @Override
      public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
          bodies.receive(exchange, this);
          return;
        }
        IOException failure = exchange.getAttachment(BodyReceiver.FAILURE);
        if (failure instanceof Receiver.RequestToLargeException) {
          exchange.setPersistent(false);
          Responses.error(exchange, 413, "too large");
        } else if (failure instanceof BodyReceiver.Stalled) {
          exchange.setPersistent(false);
          Responses.error(exchange, 408, failure.getMessage());
        } else if (failure != null) {
          Responses.error(exchange, 400, failure.toString());
        } else {
          byte[] body = exchange.getAttachment(BodyReceiver.BODY);
          Responses.status(exchange, 200, body.length + " bytes, hash " + Arrays.hashCode(body));
        }
      }
    };
    // As FunctionServer: the receiver bounds bodies, not Undertow.
    server = Undertow.builder().setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
        .addHttpListener(0, "127.0.0.1", answer).build();
    server.start();
    port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
  }

  /** After every kind of refusal, the server still takes bodies. */
  @AfterEach
  void stop() throws IOException {
    try {
      assertEquals(200, post(10, false).status());
    } finally {
      server.stop();
    }
  }

  private WriteFirstClient.Answer post(int size, boolean chunked) throws IOException {
    return WriteFirstClient.post(port, filled(size), chunked, "");
  }

  @Test
  void takesBodiesUpToTheLimit() throws IOException {
    for (boolean chunked : new boolean[] {false, true}) {
      WriteFirstClient.Answer answer = post(LIMIT, chunked);
      assertEquals(200, answer.status(), answer.body());
      assertEquals(taken(filled(LIMIT)), answer.body());
    }
  }

  /**
   * A body that arrives in pieces, with pauses between them, is read whole and in order, and the connection takes
   * the next request: the reader resumes where it stopped each time the connection is readable again.
   */
  @Test
  void aBodyArrivingInPiecesIsReadWholeAndTheConnectionGoesOn() throws Exception {
    byte[] body = new byte[LIMIT];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31 + i / 256);
    }
    try (Socket socket = open()) {
      socket.setTcpNoDelay(true); // each piece its own segment: the reader resumes between them
      OutputStream out = socket.getOutputStream();
      for (int request = 0; request < 2; request++) {
        out.write(head("Content-Length: " + body.length));
        for (int from = 0; from < body.length; from += 300) {
          out.write(body, from, Math.min(300, body.length - from));
          out.flush();
          Thread.sleep(20);
        }
        WriteFirstClient.Answer answer = WriteFirstClient.read(socket.getInputStream());
        assertEquals(200, answer.status(), answer.body());
        assertEquals(taken(body), answer.body(), "request " + request);
      }
    }
  }

  /** A client that waits for {@code 100 Continue} before a body within the limit gets it, then its answer. */
  @Test
  void aClientWaitingFor100ContinueWithinTheLimitGetsItThenItsAnswer() throws IOException {
    byte[] body = filled(LIMIT);
    for (String framing : new String[] {"Content-Length: " + LIMIT, "Transfer-Encoding: chunked"}) {
      try (Socket socket = open()) {
        OutputStream out = socket.getOutputStream();
        out.write(head(framing + "\r\nExpect: 100-continue"));
        out.flush();
        String interim = WriteFirstClient.head(socket.getInputStream());
        assertTrue(interim.startsWith("HTTP/1.1 100 Continue"), framing + ": " + interim);
        if (framing.startsWith("Content-Length")) {
          out.write(body);
        } else {
          out.write((Integer.toHexString(LIMIT) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        WriteFirstClient.Answer answer = WriteFirstClient.read(socket.getInputStream());
        assertEquals(200, answer.status(), framing + ": " + answer.body());
        assertEquals(taken(body), answer.body(), framing);
      }
    }
  }

  /** A client that stops sending before its Content-Length is reached gets a 400 that says how far it came. */
  @Test
  void aBodyCutShortIsRefusedWithHowMuchArrived() throws IOException {
    try (Socket socket = open()) {
      socket.getOutputStream().write(head("Content-Length: 1000"));
      socket.getOutputStream().write(new byte[300]);
      socket.shutdownOutput();
      WriteFirstClient.Answer answer = WriteFirstClient.read(socket.getInputStream());
      assertEquals(400, answer.status(), answer.body());
      assertTrue(answer.body().contains("after 300 of the 1000 bytes"), answer.body());
    }
  }

  private static byte[] filled(int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'x');
    return body;
  }

  /** What the handler answers for a body it took. */
  private static String taken(byte[] body) {
    return "{\"status\":\"" + body.length + " bytes, hash " + Arrays.hashCode(body) + "\"}";
  }

  @Test
  void aRefusedBodyIsReadToItsEndSoAClientThatWritesItAllFirstGetsTheAnswer() throws IOException {
    for (boolean chunked : new boolean[] {false, true}) {
      for (int size : new int[] {LIMIT + 1, DISCARD_LIMIT}) {
        WriteFirstClient.Answer answer = post(size, chunked);
        assertEquals(413, answer.status(), size + " bytes, chunked " + chunked);
        assertEquals("{\"error\":\"too large\"}", answer.body());
      }
    }
  }

  /** Past the bound the server stops reading: an announced body is refused at once, an endless one cut off. */
  @Test
  void aBodyBeyondTheBoundIsNotRead() throws Exception {
    try (Socket socket = open()) {
      socket.getOutputStream().write(head("Content-Length: " + 64L * 1024 * 1024 * 1024));
      WriteFirstClient.Answer answer = WriteFirstClient.read(socket.getInputStream());
      assertEquals(413, answer.status());
      assertEquals(-1, socket.getInputStream().read(), "the connection is closed");
    }
    try (Socket socket = open()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("Transfer-Encoding: chunked"));
      byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      long start = System.nanoTime();
      IOException cutOff = assertThrows(IOException.class, () -> {
        while (System.nanoTime() - start < 20e9) {
          out.write(chunk);
        }
      }, "an endless chunked upload is cut off");
      System.out.println("endless upload cut off after " + (System.nanoTime() - start) / 1_000_000 + " ms: " + cutOff);
    }
  }

  /** A client that waits for {@code 100 Continue} before it sends the body gets its refusal instead. */
  @Test
  void aClientWaitingFor100ContinueIsRefusedBeforeItSends() throws IOException {
    try (Socket socket = open()) {
      socket.getOutputStream().write(head("Content-Length: " + (LIMIT + 1) + "\r\nExpect: 100-continue"));
      WriteFirstClient.Answer answer = WriteFirstClient.read(socket.getInputStream());
      assertEquals(413, answer.status());
    }
  }

  /** A refused body whose client stalls is not waited for past the deadline. */
  @Test
  void aStalledRefusedBodyIsAnsweredAtTheDeadline() throws Exception {
    try (Socket socket = open()) {
      OutputStream out = socket.getOutputStream();
      long start = System.nanoTime(); // before the server can have the bytes: the deadline cannot seem early
      out.write(head("Content-Length: " + DISCARD_LIMIT));
      out.write(new byte[LIMIT + 100]);
      out.flush();
      WriteFirstClient.Answer answer = WriteFirstClient.read(socket.getInputStream());
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(413, answer.status());
      assertTrue(seconds >= 0.8 && seconds < 3, "answered after " + seconds + " s, at the 1 s deadline");
    }
  }

  /** An upload that stops sending is refused at the read timeout, with how far it came, and its connection closed. */
  @Test
  void aStalledUploadIsRefusedAtTheReadTimeout() throws Exception {
    for (String framing : new String[] {"Content-Length: 1000", "Transfer-Encoding: chunked"}) {
      try (Socket socket = open()) {
        OutputStream out = socket.getOutputStream();
        long start = System.nanoTime(); // before the server can have the bytes: the timeout cannot seem early
        out.write(head(framing));
        out.write(framing.startsWith("Content") ? new byte[300]
            : ("12c\r\n" + "x".repeat(300) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        WriteFirstClient.Answer answer = WriteFirstClient.read(socket.getInputStream());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(408, answer.status(), framing + ": " + answer.body());
        assertTrue(answer.body().contains("stalled after 300"), answer.body());
        assertTrue(seconds >= 0.8 && seconds < 3, framing + ": answered after " + seconds + " s, at the 1 s timeout");
        assertEquals(-1, socket.getInputStream().read(), "the connection is closed");
      }
    }
  }

  /** Pauses shorter than the read timeout, however many, are no stall: the timeout counts from the last bytes. */
  @Test
  void anUploadWithShortPausesIsNoStall() throws Exception {
    byte[] body = filled(LIMIT);
    try (Socket socket = open()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("Content-Length: " + body.length));
      for (int from = 0; from < body.length; from += 128) {
        out.write(body, from, 128);
        out.flush();
        Thread.sleep(300); // 2.4 s in all, 0.3 s at a time, well under the 1 s timeout
      }
      WriteFirstClient.Answer answer = WriteFirstClient.read(socket.getInputStream());
      assertEquals(200, answer.status(), answer.body());
      assertEquals(taken(body), answer.body());
    }
  }

  /**
   * A body's array grows as its bytes arrive, not as its Content-Length claims: bodies around and past the first
   * array's size, sent in pieces, arrive whole and in order.
   */
  @Test
  void aBodyIsWholeHoweverItsArrayGrew() throws Exception {
    server.stop();
    int limit = 1024 * 1024;
    serve(new BodyReceiver(limit, 2L * limit, DEADLINE, READ_TIMEOUT));
    for (int size : new int[] {1, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 600_003, limit}) {
      byte[] body = new byte[size];
      for (int i = 0; i < size; i++) {
        body[i] = (byte) (i * 131 + i / 1000);
      }
      try (Socket socket = open()) {
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        out.write(head("Content-Length: " + size));
        for (int from = 0; from < size; from += 50_000) {
          out.write(body, from, Math.min(50_000, size - from));
          out.flush();
        }
        WriteFirstClient.Answer answer = WriteFirstClient.read(socket.getInputStream());
        assertEquals(200, answer.status(), size + " bytes: " + answer.body());
        assertEquals(taken(body), answer.body(), size + " bytes");
      }
    }
  }

  private Socket open() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private byte[] head(String headers) {
    return ("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
