package io.cvatfunction.runtime.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Nuclio's health port: {@code GET /live} answers 200 while the process runs, {@code GET /ready} 200 only
 * once the model is loaded and warmed up (503 with the reason before, or after a failed load).
 */
final class HealthEndpoint implements HttpHandler {

  private final Readiness readiness;

  HealthEndpoint(Readiness readiness) {
    this.readiness = readiness;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    switch (exchange.getRequestPath()) {
      case "/live" -> Responses.status(exchange, 200, "live");
      case "/ready" -> ready(exchange, readiness);
      default -> Responses.error(exchange, 404, "unknown health path " + exchange.getRequestPath()
          + ": use /ready or /live");
    }
  }

  static void ready(HttpServerExchange exchange, Readiness readiness) {
    if (readiness.isReady()) {
      Responses.status(exchange, 200, "ready");
    } else {
      Responses.error(exchange, 503, "not ready: " + readiness.notReadyReason());
    }
  }
}
