package io.cvatfunction.runtime.server;

import io.cvatfunction.runtime.CvatHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nuclio's health port: {@code GET /live} answers 200 while the process can serve (503 after a device fault), {@code
 * GET /ready} 200 only once the model is loaded and warmed up, with what serves (503 with the reason before, after a
 * failed load or a device fault, and while stopping).
 */
final class HealthEndpoint implements HttpHandler {

  private final Readiness readiness;
  private final CvatHandler handler;

  HealthEndpoint(Readiness readiness, CvatHandler handler) {
    this.readiness = readiness;
    this.handler = handler;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    switch (exchange.getRequestPath()) {
      case "/live" -> {
        if (readiness.isLive()) {
          Responses.status(exchange, 200, "live");
        } else {
          Responses.error(exchange, 503, "not live: " + readiness.notReadyReason());
        }
      }
      case "/ready" -> ready(exchange, readiness, handler);
      default -> Responses.error(exchange, 404, "unknown health path " + exchange.getRequestPath()
          + ": use /ready or /live");
    }
  }

  static void ready(HttpServerExchange exchange, Readiness readiness, CvatHandler handler) {
    if (readiness.isReady()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", "ready");
      body.putAll(handler.serving());
      Responses.json(exchange, 200, Responses.bytes(body));
    } else {
      Responses.error(exchange, 503, "not ready: " + readiness.notReadyReason());
    }
  }
}
