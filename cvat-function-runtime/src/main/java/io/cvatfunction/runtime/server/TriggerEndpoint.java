package io.cvatfunction.runtime.server;

import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.CvatHandler;
import io.cvatfunction.runtime.DeviceFault;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.RequestTrace.Stage;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The HTTP trigger: {@code POST} on any path runs the function; {@code GET /__internal/health} is the
 * readiness probe Nuclio uses on Kubernetes. Every outcome is a JSON answer and one JSON log line; no
 * request can stop the server.
 */
final class TriggerEndpoint implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger("io.cvatfunction.request");
  private static final HttpString REQUEST_ID = new HttpString("X-Request-Id");
  private static final HttpString SERVER_TIMING = new HttpString("Server-Timing");
  /** Started when the headers have arrived, so the stage times cover the body's upload and the wait for a worker. */
  private static final AttachmentKey<RequestTrace> TRACE = AttachmentKey.create(RequestTrace.class);

  private final CvatHandler handler;
  private final Readiness readiness;
  private final WorkerPool workers;
  private final ServerSettings settings;
  private final BodyReceiver bodies;
  private final IdleMemory idleMemory;
  private final AtomicLong ids = new AtomicLong();

  TriggerEndpoint(CvatHandler handler, Readiness readiness, WorkerPool workers, ServerSettings settings,
      IdleMemory idleMemory) {
    this.handler = handler;
    this.readiness = readiness;
    this.workers = workers;
    this.settings = settings;
    this.idleMemory = idleMemory;
    this.bodies = BodyReceiver.withLimit(settings.maxRequestBodySize(), settings.readTimeout());
  }

  private record Result(byte[] body, int shapes, Map<Stage, Double> stages) {}

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    if (exchange.isInIoThread()) {
      exchange.putAttachment(TRACE, new RequestTrace());
      if (exchange.getRequestMethod().equals(Methods.POST)) {
        bodies.receive(exchange, this);
      } else {
        exchange.dispatch(this);
      }
      return;
    }
    if (exchange.getRequestPath().equals("/__internal/health") && exchange.getRequestMethod().equals(Methods.GET)) {
      HealthEndpoint.ready(exchange, readiness, handler);
      return;
    }
    long start = System.nanoTime();
    String id = requestId(exchange);
    exchange.getResponseHeaders().put(REQUEST_ID, id);
    int status;
    String error = null;
    Result result = null;
    try {
      result = serve(exchange);
      status = 200;
      exchange.getResponseHeaders().put(SERVER_TIMING, serverTiming(result.stages()));
      Responses.json(exchange, status, result.body());
    } catch (Refusal refusal) {
      status = refusal.status;
      error = refusal.getMessage();
      if (!exchange.isResponseStarted()) {
        if (status == 405) {
          exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
        }
        Responses.error(exchange, status, error);
      }
    } catch (Throwable unexpected) { // the server outlives any request, whatever it throws
      status = 500;
      error = "internal error: " + unexpected;
      LOG.error("request {} failed", id, unexpected);
      if (!exchange.isResponseStarted()) {
        Responses.error(exchange, status, error);
      }
    }
    log(id, exchange, status, start, result, error);
    idleMemory.requestEnded();
  }

  private Result serve(HttpServerExchange exchange) throws Refusal, InterruptedException {
    if (!exchange.getRequestMethod().equals(Methods.POST)) {
      throw new Refusal(405, "use POST with a JSON body; " + exchange.getRequestMethod() + " is not supported");
    }
    if (exchange.getRequestContentLength() > settings.maxRequestBodySize()) {
      exchange.setPersistent(false);
      throw tooBig(exchange.getRequestContentLength());
    }
    boolean inFlight = readiness.isStopping() && Drain.admitted(exchange);
    if (!readiness.isReady() && !inFlight) {
      throw new Refusal(503, "the function is not ready: " + readiness.notReadyReason());
    }
    byte[] body = receivedBody(exchange);
    RequestTrace trace = exchange.getAttachment(TRACE);
    trace.lap(Stage.RECEIVE, exchange.getAttachment(BodyReceiver.RECEIVED_AT));
    try {
      return workers.run(() -> run(body, trace));
    } catch (WorkerPool.NoWorkerAvailable e) {
      throw new Refusal(503, "all " + settings.workers() + " workers stayed busy for "
          + settings.workerAvailabilityTimeout().toMillis() + " ms: retry later or deploy more workers");
    } catch (WorkerPool.EventTimedOut e) {
      throw new Refusal(408, "the request ran longer than the event timeout of "
          + settings.eventTimeout().toMillis() + " ms and was abandoned");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BadRequestException bad) {
        throw new Refusal(bad.status(), bad.getMessage());
      }
      if (cause instanceof DeviceFault fault) { // WorkerPool has reported it; the process is about to end
        throw new Refusal(503, "the device failed: " + fault.getMessage() + "; this replica restarts, retry on another"
            + " or once it is back");
      }
      LOG.error("the function failed", cause);
      throw new Refusal(500, "the function failed: " + cause);
    }
  }

  private Result run(byte[] body, RequestTrace trace) throws Exception {
    trace.lap(Stage.QUEUE);
    Object answer = handler.handle(body, trace);
    byte[] json = Responses.JSON.writeValueAsBytes(answer);
    trace.lap(Stage.JSON);
    return new Result(json, answer instanceof List<?> list ? list.size() : -1, trace.millis());
  }

  /** The body {@link BodyReceiver} read, or why it could not. */
  private byte[] receivedBody(HttpServerExchange exchange) throws Refusal {
    IOException failure = exchange.getAttachment(BodyReceiver.FAILURE);
    if (failure != null) {
      exchange.setPersistent(false);
      if (failure instanceof Receiver.RequestToLargeException) {
        throw tooBig(-1);
      }
      if (failure instanceof BodyReceiver.Stalled) {
        throw new Refusal(408, failure.getMessage() + ": send the body without pausing, or raise cvat.readTimeout");
      }
      throw new Refusal(400, "the request body could not be read: " + failure.getMessage());
    }
    byte[] body = exchange.getAttachment(BodyReceiver.BODY);
    if (body == null) {
      throw new IllegalStateException("the request body was not received");
    }
    return body;
  }

  private Refusal tooBig(long size) {
    return new Refusal(413, "the request body" + (size >= 0 ? " of " + size + " bytes" : "")
        + " is over this function's maxRequestBodySize of " + settings.maxRequestBodySize()
        + " bytes: send a smaller frame or raise maxRequestBodySize");
  }

  private String requestId(HttpServerExchange exchange) {
    String given = exchange.getRequestHeaders().getFirst(REQUEST_ID);
    return given != null && given.length() <= 128 ? given : Long.toString(ids.incrementAndGet());
  }

  private static String serverTiming(Map<Stage, Double> stages) {
    StringJoiner header = new StringJoiner(", ");
    stages.forEach((stage, ms) ->
        header.add(stage.name().toLowerCase(java.util.Locale.ROOT) + ";dur="
            + String.format(java.util.Locale.ROOT, "%.3f", ms))); // a decimal point whatever the default locale
    return header.toString();
  }

  private static void log(String id, HttpServerExchange exchange, int status, long start, Result result, String error) {
    LoggingEventBuilder event = (status >= 500 ? LOG.atWarn() : LOG.atInfo())
        .addKeyValue("requestId", id)
        .addKeyValue("method", exchange.getRequestMethod().toString())
        .addKeyValue("path", exchange.getRequestPath())
        .addKeyValue("status", status)
        .addKeyValue("latencyMs", Math.round((System.nanoTime() - start) / 1e4) / 100.0);
    if (result != null) {
      if (result.shapes() >= 0) {
        event = event.addKeyValue("shapes", result.shapes());
      }
      for (Map.Entry<Stage, Double> stage : result.stages().entrySet()) {
        event = event.addKeyValue(stage.getKey().name().toLowerCase(java.util.Locale.ROOT) + "Ms",
            Math.round(stage.getValue() * 100) / 100.0);
      }
    }
    if (error != null) {
      event = event.addKeyValue("error", error);
    }
    event.log("request");
  }

  /** A request answered with an error status. */
  private static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
