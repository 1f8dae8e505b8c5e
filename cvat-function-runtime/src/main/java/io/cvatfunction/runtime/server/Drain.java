package io.cvatfunction.runtime.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the requests in flight on the trigger and, once the server stops, refuses new ones while those finish: a
 * request is in flight from the moment its headers arrived, so one whose body is still uploading when SIGTERM comes
 * is served. A refusal is a JSON 503 and one log line, as every other refusal (Undertow's own graceful shutdown
 * handler answers with an empty body and logs nothing).
 */
final class Drain implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger("io.cvatfunction.request");

  /** Whether the function was ready when the headers arrived: such a request is in flight and is served. */
  private static final AttachmentKey<Boolean> ADMITTED = AttachmentKey.create(Boolean.class);

  private final Readiness readiness;
  private final HttpHandler next;
  private final AtomicLong inFlight = new AtomicLong();
  private final Object drained = new Object();
  private volatile String draining; // why new requests are refused; null while serving

  Drain(Readiness readiness, HttpHandler next) {
    this.readiness = readiness;
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    // Admission is decided before the count, so a request counted in flight was admitted or not already; the count
    // comes before the drain is checked, so a drain that began after this check waits for the request.
    exchange.putAttachment(ADMITTED, readiness.isReady());
    inFlight.incrementAndGet();
    String error = draining;
    if (error != null) {
      left();
      exchange.setPersistent(false);
      LOG.atWarn().addKeyValue("method", exchange.getRequestMethod().toString())
          .addKeyValue("path", exchange.getRequestPath()).addKeyValue("status", 503).addKeyValue("error", error)
          .log("request");
      Responses.error(exchange, 503, error);
      return;
    }
    exchange.addExchangeCompleteListener((done, nextListener) -> {
      left();
      nextListener.proceed();
    });
    next.handleRequest(exchange);
  }

  private void left() {
    if (inFlight.decrementAndGet() == 0 && draining != null) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
  }

  /** Whether the function was ready when this request's headers arrived. */
  static boolean admitted(HttpServerExchange exchange) {
    return Boolean.TRUE.equals(exchange.getAttachment(ADMITTED));
  }

  /** Refuses new requests from now on, with {@code why} as their answer's error. */
  void start(String why) {
    draining = why;
  }

  /** The requests still in flight. */
  long inFlight() {
    return inFlight.get();
  }

  /** Waits until every request in flight has finished, at most {@code timeout}; true when they all did. */
  boolean awaitDrained(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (drained) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(drained, left);
      }
    }
    return true;
  }
}
