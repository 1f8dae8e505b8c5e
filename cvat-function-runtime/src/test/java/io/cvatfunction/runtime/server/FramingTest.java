package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chunk sizes no body can have, each followed by the bytes of a second request. Undertow 2.3.18 read a size of 2^59 or
 * more as the end of the body, so those bytes were parsed and answered as a next request. Now nothing after such a
 * size is ever served, and the connection closes: a size under 2^61 is framed as the huge chunk it says, whose bytes
 * stop coming, so the upload gets its JSON 408 at the read timeout (2 s here); a longer one is refused by Undertow's
 * chunk parser, which closes the connection itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FramingTest {

  private static final String SMUGGLED = "GET /__internal/health HTTP/1.1\r\nHost: x\r\n\r\n";

  @AutoClose
  private final ServerFixture server = ServerFixture.ready(ScriptedHandler.loaded(), Map.of("cvat.readTimeout", "2s"));

  /** The case: 2^59, framed as the huge chunk it says; its bytes stop coming, so the upload gets 408. */
  @ParameterizedTest(name = "chunk size {0}")
  @ValueSource(strings = {"800000000000000", "fffffffffffffff", "1000000000000000"})
  void aChunkLargerThanAnyBodyEndsInA408AndNothingAfterItIsServed(String size) throws IOException {
    String answer = exchange(size);
    assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
    assertTrue(answer.contains("Content-Type: application/json") && answer.contains("{\"error\":"), answer);
    assertEquals(1, answers(answer), "one answer, none to the bytes after the size: " + answer);
  }

  /**
   * Longer sizes, up to more than 64 bits: Undertow's parser refuses those over 2^61 and closes the connection itself;
   * whatever happens, nothing after the size is served, any answer is JSON, and the connection closes.
   */
  @ParameterizedTest(name = "chunk size {0}")
  @ValueSource(strings = {"2000000000000000", "7fffffffffffffff", "ffffffffffffffff", "10000000000000000",
      "8000000000000000000000000000"})
  void aChunkSizeTooLongToParseClosesTheConnectionAndNothingAfterItIsServed(String size) throws IOException {
    String answer = exchange(size);
    assertTrue(answers(answer) <= 1, "nothing answered to the bytes after the size: " + answer);
    assertTrue(answer.isEmpty() || answer.contains("{\"error\":"), answer);
  }

  private static int answers(String received) {
    return received.split("HTTP/1\\.1 ", -1).length - 1;
  }

  /** Writes a chunked POST with a chunk of {@code size} and then a request, and reads until the server closes. */
  private String exchange(String size) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.server().port()), 5_000);
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
          + size + "\r\n" + SMUGGLED).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          received.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException stillOpen) {
        throw new AssertionError("the connection stayed open after: " + received.toString(StandardCharsets.UTF_8));
      } catch (IOException reset) {
        // a reset is a close too
      }
      return received.toString(StandardCharsets.UTF_8);
    }
  }
}
