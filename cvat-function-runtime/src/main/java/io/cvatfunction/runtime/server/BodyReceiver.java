package io.cvatfunction.runtime.server;

import io.undertow.io.IoCallback;
import io.undertow.io.Receiver;
import io.undertow.io.Sender;
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
 * the bound, one that arrives too slowly, and one over the limit whose client waits for {@code 100 Continue} are
 * refused at once; a client that waits for {@code 100 Continue} before a body within the limit gets it.
 *
 * <p>No upload holds more than it sent: a body's array grows as its bytes arrive, whatever its {@code
 * Content-Length} claims. No upload holds its connection without a bound: one that sends nothing for the read
 * timeout is refused as {@link Stalled}.
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

  /** An upload that sent nothing for the read timeout. */
  static final class Stalled extends IOException {
    private static final long serialVersionUID = 1L;

    Stalled(String message) {
      super(message);
    }
  }

  private final long limit;
  private final long discardLimit;
  private final Duration discardDeadline;
  private final Duration readTimeout;

  /**
   * @param limit the largest body taken
   * @param discardLimit the largest body read to its end when it is over {@code limit}
   * @param discardDeadline how long reading a body over {@code limit} may take
   * @param readTimeout how long an upload may send nothing before it is refused
   */
  BodyReceiver(long limit, long discardLimit, Duration discardDeadline, Duration readTimeout) {
    this.limit = Math.min(limit, Integer.MAX_VALUE - 8);
    this.discardLimit = discardLimit;
    this.discardDeadline = discardDeadline;
    this.readTimeout = readTimeout;
  }

  /** With the default bound and deadline for refused bodies. */
  static BodyReceiver withLimit(long limit, Duration readTimeout) {
    long discardLimit = limit <= Long.MAX_VALUE - DISCARD_BEYOND_LIMIT ? limit + DISCARD_BEYOND_LIMIT : Long.MAX_VALUE;
    return new BodyReceiver(limit, discardLimit, DISCARD_DEADLINE, readTimeout);
  }

  /** Reads the body of {@code exchange}, then dispatches it to {@code next}. Call on the I/O thread. */
  void receive(HttpServerExchange exchange, HttpHandler next) {
    long announced = exchange.getRequestContentLength();
    boolean waitsForContinue = HttpContinue.requiresContinueResponse(exchange);
    if (announced > limit && (announced > discardLimit || waitsForContinue)) {
      // Too large to read, or not sent yet: the client waits for 100 Continue, and a refusal is its answer.
      deliver(exchange, next, null, new Receiver.RequestToLargeException());
      return;
    }
    Runnable read = announced >= 0 && announced <= limit
        ? () -> new KnownLength(exchange, next, (int) announced, new Watchdog(exchange)).start() // CVAT's usual case
        : () -> new Upload(exchange, next, announced > limit, new Watchdog(exchange)).start();
    if (!waitsForContinue) {
      read.run();
      return;
    }
    // curl asks before larger bodies (over 1 KiB in older versions) and waits a second when no answer comes.
    HttpContinue.sendContinueResponse(exchange, new IoCallback() {
      @Override
      public void onComplete(HttpServerExchange ex, Sender sender) {
        read.run();
      }

      @Override
      public void onException(HttpServerExchange ex, Sender sender, IOException failure) {
        deliver(ex, next, null, failure);
      }
    });
  }

  /** Hands the exchange to {@code next} with its body, or with why there is none (attached before, or here). */
  private static void deliver(HttpServerExchange exchange, HttpHandler next, byte[] body, IOException failure) {
    if (body != null) {
      exchange.putAttachment(BODY, body);
    }
    if (failure != null) {
      exchange.putAttachment(FAILURE, failure);
    }
    exchange.putAttachment(RECEIVED_AT, System.nanoTime());
    exchange.dispatch(next);
  }

  /**
   * A body of announced size within the limit, read straight into one array of that size: each time the connection
   * is readable, everything that has arrived is read at once. Undertow's own receiver, which copies byte by byte out
   * of 16 KiB buffers, took 2.2 ms for a 560 KB body on an H200's host (17 ms with 16 clients) and 6.5 ms on a
   * 2-core machine; this reads it there in 0.24 ms (0.27 ms) and 0.25 ms.
   */
  private static final class KnownLength implements ChannelListener<StreamSourceChannel> {
    /**
     * The first array's size, one read's worth: it doubles as the body arrives, up to its announced length, so a
     * 1080p frame's body (about 560 KB) is copied twice on its way, and a connection that claims 32 MiB and sends
     * nothing holds 256 KiB.
     */
    private static final int FIRST_ARRAY = 256 * 1024;

    /**
     * The most one read takes: the JDK reads into a heap buffer through a direct buffer of the read's size, which it
     * then keeps for the thread, so unbounded reads would leave each I/O thread holding one as large as the largest
     * body it read.
     */
    private static final int MOST_PER_READ = 256 * 1024;

    private final HttpServerExchange exchange;
    private final HttpHandler next;
    private final int length;
    private final Watchdog watchdog;
    private ByteBuffer body;
    private boolean done;

    KnownLength(HttpServerExchange exchange, HttpHandler next, int length, Watchdog watchdog) {
      this.exchange = exchange;
      this.next = next;
      this.length = length;
      this.watchdog = watchdog;
      this.body = ByteBuffer.allocate(Math.min(length, FIRST_ARRAY));
    }

    void start() {
      StreamSourceChannel channel = exchange.getRequestChannel();
      if (channel == null) {
        deliver(exchange, next, null, new IOException("the request body was already taken"));
        return;
      }
      channel.getReadSetter().set(this);
      handleEvent(channel);
      // Most bodies have arrived whole by now: only one still under way gets a timer (this runs on the I/O thread,
      // as the listener does, so no read can come between the two).
      if (!done) {
        watchdog.start(() -> {
          channel.suspendReads();
          finish(channel, new Stalled("the body stalled after " + body.position() + " of the " + length
              + " bytes its Content-Length announced: nothing arrived for " + watchdog.timeout().toSeconds() + " s"));
        });
      }
    }

    @Override
    public void handleEvent(StreamSourceChannel channel) {
      if (done) {
        return;
      }
      int read;
      try {
        do {
          if (body.position() == body.capacity()) {
            grow();
          }
          body.limit(Math.min(body.capacity(), body.position() + MOST_PER_READ));
          read = channel.read(body);
          if (read > 0) {
            watchdog.progress();
          }
        } while (read > 0 && body.position() < length);
      } catch (IOException e) {
        finish(channel, cutShort(e.getMessage() != null ? e.getMessage() : e.toString(), e));
        return;
      } catch (RuntimeException | Error e) { // XNIO would only log it, and the request would never be answered
        finish(channel, new IOException("the request body could not be read: " + e, e));
        return;
      }
      if (body.position() == length) {
        finish(channel, null);
      } else if (read < 0) { // Undertow 2.3 throws instead; the channel's contract allows this too
        finish(channel, cutShort("the connection closed", null));
      } else {
        channel.resumeReads();
      }
    }

    /** A larger array for what has arrived: twice the size, at most the announced length. */
    private void grow() {
      ByteBuffer larger = ByteBuffer.allocate((int) Math.min(length, 2L * body.capacity()));
      body.flip();
      larger.put(body);
      body = larger;
    }

    private IOException cutShort(String why, IOException cause) {
      return new IOException("the body ended after " + body.position() + " of the " + length
          + " bytes its Content-Length announced (" + why + ")", cause);
    }

    private void finish(StreamSourceChannel channel, IOException failure) {
      if (done) {
        return;
      }
      done = true;
      watchdog.stop();
      channel.getReadSetter().set(null);
      channel.suspendReads();
      deliver(exchange, next, failure == null ? body.array() : null, failure);
    }
  }

  /** A body of unknown size (chunked) or one known to be over the limit, read piece by piece. */
  private final class Upload {
    private final HttpServerExchange exchange;
    private final HttpHandler next;
    private final Receiver receiver;
    private ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    private long received;
    private final Watchdog watchdog;
    private XnioExecutor.Key deadline;
    private boolean done;

    Upload(HttpServerExchange exchange, HttpHandler next, boolean overLimit, Watchdog watchdog) {
      this.exchange = exchange;
      this.next = next;
      this.receiver = exchange.getRequestReceiver();
      this.watchdog = watchdog;
      if (overLimit) {
        discardFromNowOn();
      }
    }

    void start() {
      watchdog.start(() -> {
        receiver.pause();
        body = null;
        if (exchange.getAttachment(FAILURE) == null) {
          exchange.putAttachment(FAILURE, new Stalled("the body stalled after " + received + " bytes: nothing arrived"
              + " for " + watchdog.timeout().toSeconds() + " s"));
        }
        finish();
      });
      receiver.receivePartialBytes((ex, chunk, last) -> {
        watchdog.progress();
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
      watchdog.stop();
      if (deadline != null) {
        deadline.remove();
      }
      deliver(exchange, next, body != null ? body.toByteArray() : null, null); // a failure is attached already
    }
  }

  /**
   * Calls its action when an upload has sent nothing for the read timeout. Runs on the exchange's I/O thread, as the
   * reads do: it checks once a timeout and reschedules itself for what is left, so progress costs a clock read.
   */
  private final class Watchdog {
    private final HttpServerExchange exchange;
    private long lastProgress = System.nanoTime();
    private XnioExecutor.Key check;
    private Runnable onStall;

    Watchdog(HttpServerExchange exchange) {
      this.exchange = exchange;
    }

    Duration timeout() {
      return readTimeout;
    }

    void start(Runnable onStall) {
      this.onStall = onStall;
      lastProgress = System.nanoTime();
      schedule(readTimeout.toNanos());
    }

    void progress() {
      lastProgress = System.nanoTime();
    }

    void stop() {
      if (check != null) {
        check.remove();
        check = null;
      }
      onStall = null;
    }

    private void schedule(long nanos) {
      check = exchange.getIoThread().executeAfter(this::expire, Math.max(1, nanos), TimeUnit.NANOSECONDS);
    }

    private void expire() {
      if (onStall == null) {
        return;
      }
      long idle = System.nanoTime() - lastProgress;
      if (idle < readTimeout.toNanos()) {
        schedule(readTimeout.toNanos() - idle);
      } else {
        Runnable action = onStall;
        stop();
        action.run();
      }
    }
  }
}
