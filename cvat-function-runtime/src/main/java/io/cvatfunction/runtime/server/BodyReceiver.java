package io.cvatfunction.runtime.server;

import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.AttachmentKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSourceChannel;

/**
 * Reads a request body on the I/O thread without blocking, then dispatches the exchange to a request thread with
 * the body attached, or why there is none. A client that stalls mid-upload so holds only its connection: were
 * bodies read on request threads, as many stalled uploads as there are threads would leave none for anyone else.
 *
 * <p>A body over the limit is read on and thrown away before it is refused, up to a bound and within a deadline.
 * Clients that write the whole body before they read the answer (Python's {@code requests}, which CVAT uses, and
 * {@code http.client}) would otherwise never see the 413: closing a socket with unread data makes the kernel send
 * a TCP RST, which breaks the client's write and discards the answer waiting in its receive buffer. A body beyond
 * the bound, one that arrives too slowly, and one whose client waits for {@code 100 Continue} are refused at once.
 */
final class BodyReceiver {

  /** How far past the limit a refused body is still read, so that its client gets the answer. */
  static final long DISCARD_BEYOND_LIMIT = 256L * 1024 * 1024;
  /** How long reading a refused body may take. */
  static final Duration DISCARD_DEADLINE = Duration.ofSeconds(30);

  /** The body, once read. */
  static final AttachmentKey<byte[]> BODY = AttachmentKey.create(byte[].class);
  /** When the body was read ({@link System#nanoTime}): the request then waits for a thread. */
  static final AttachmentKey<Long> RECEIVED_AT = AttachmentKey.create(Long.class);
  /** Why there is no body; a {@link Receiver.RequestToLargeException} when it is over the limit. */
  static final AttachmentKey<IOException> FAILURE = AttachmentKey.create(IOException.class);

  private final long limit;
  private final long discardLimit;
  private final Duration discardDeadline;

  /**
   * @param limit the largest body taken
   * @param discardLimit the largest body read to its end when it is over {@code limit}
   * @param discardDeadline how long reading a body over {@code limit} may take
   */
  BodyReceiver(long limit, long discardLimit, Duration discardDeadline) {
    this.limit = Math.min(limit, Integer.MAX_VALUE - 8);
    this.discardLimit = discardLimit;
    this.discardDeadline = discardDeadline;
  }

  /** With the default bound and deadline for refused bodies. */
  static BodyReceiver withLimit(long limit) {
    long discardLimit = limit <= Long.MAX_VALUE - DISCARD_BEYOND_LIMIT ? limit + DISCARD_BEYOND_LIMIT : Long.MAX_VALUE;
    return new BodyReceiver(limit, discardLimit, DISCARD_DEADLINE);
  }

  /** Reads the body of {@code exchange}, then dispatches it to {@code next}. Call on the I/O thread. */
  void receive(HttpServerExchange exchange, HttpHandler next) {
    long announced = exchange.getRequestContentLength();
    if (announced > limit && (announced > discardLimit || HttpContinue.requiresContinueResponse(exchange))) {
      // Too large to read, or not sent yet: the client waits for 100 Continue, and a refusal is its answer.
      refuse(exchange, next);
      return;
    }
    if (announced >= 0 && announced <= limit) {
      new KnownLength(exchange, next, (int) announced).start(); // the usual case: CVAT sends a Content-Length
      return;
    }
    new Upload(exchange, next, announced > limit).start();
  }

  private static void refuse(HttpServerExchange exchange, HttpHandler next) {
    exchange.putAttachment(FAILURE, new Receiver.RequestToLargeException());
    exchange.dispatch(next);
  }

  /**
   * A body of announced size within the limit, read straight into one array of that size: each time the connection
   * is readable, everything that has arrived is read at once. Undertow's own receiver, which reads through 16 KiB
   * buffers, took 2.2 ms for a 560 KB body on an H200's host (17 ms with 16 clients), and 6.5 ms on a 2-core
   * machine; this reads it in 0.24 ms (0.27 ms with 16 clients) and 0.25 ms.
   */
  private static final class KnownLength implements ChannelListener<StreamSourceChannel> {
    private final HttpServerExchange exchange;
    private final HttpHandler next;
    private final ByteBuffer body;

    KnownLength(HttpServerExchange exchange, HttpHandler next, int length) {
      this.exchange = exchange;
      this.next = next;
      this.body = ByteBuffer.allocate(length);
    }

    void start() {
      StreamSourceChannel channel = exchange.getRequestChannel();
      if (channel == null) {
        finish(new IOException("the request body was already taken"));
        return;
      }
      channel.getReadSetter().set(this);
      handleEvent(channel);
    }

    @Override
    public void handleEvent(StreamSourceChannel channel) {
      int read;
      try {
        do {
          read = channel.read(body);
        } while (read > 0 && body.hasRemaining());
      } catch (IOException e) {
        finish(channel, cutShort(e.getMessage(), e));
        return;
      }
      if (!body.hasRemaining()) {
        finish(channel, null);
      } else if (read < 0) {
        finish(channel, cutShort("the connection closed", null));
      } else {
        channel.resumeReads();
      }
    }

    private IOException cutShort(String why, IOException cause) {
      return new IOException("the body ended after " + body.position() + " of the " + body.capacity()
          + " bytes its Content-Length announced (" + why + ")", cause);
    }

    private void finish(StreamSourceChannel channel, IOException failure) {
      channel.getReadSetter().set(null);
      channel.suspendReads();
      finish(failure);
    }

    private void finish(IOException failure) {
      if (failure == null) {
        exchange.putAttachment(BODY, body.array());
        exchange.putAttachment(RECEIVED_AT, System.nanoTime());
      } else {
        exchange.putAttachment(FAILURE, failure);
      }
      exchange.dispatch(next);
    }
  }

  /** A body of unknown size (chunked) or one known to be over the limit, read piece by piece. */
  private final class Upload {
    private final HttpServerExchange exchange;
    private final HttpHandler next;
    private final Receiver receiver;
    private ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    private long received;
    private XnioExecutor.Key deadline;
    private boolean done;

    Upload(HttpServerExchange exchange, HttpHandler next, boolean overLimit) {
      this.exchange = exchange;
      this.next = next;
      this.receiver = exchange.getRequestReceiver();
      if (overLimit) {
        discardFromNowOn();
      }
    }

    void start() {
      receiver.receivePartialBytes((ex, chunk, last) -> {
        received += chunk.length;
        if (body != null && received > limit) {
          discardFromNowOn();
        }
        if (body != null) {
          body.write(chunk, 0, chunk.length);
        }
        if (received > discardLimit) {
          receiver.pause();
          finish(); // the client gets its answer, and a reset if it is still writing
        } else if (last) {
          finish();
        }
      }, (ex, failure) -> {
        body = null;
        exchange.putAttachment(FAILURE, failure);
        finish();
      });
    }

    private void discardFromNowOn() {
      body = null;
      exchange.putAttachment(FAILURE, new Receiver.RequestToLargeException());
      // Runs on the exchange's I/O thread, as the receiver's callbacks do: no race with them.
      deadline = exchange.getIoThread().executeAfter(() -> {
        receiver.pause();
        finish();
      }, discardDeadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finish() {
      if (done) {
        return;
      }
      done = true;
      if (deadline != null) {
        deadline.remove();
      }
      if (body != null) {
        exchange.putAttachment(BODY, body.toByteArray());
      }
      exchange.putAttachment(RECEIVED_AT, System.nanoTime());
      exchange.dispatch(next);
    }
  }
}
