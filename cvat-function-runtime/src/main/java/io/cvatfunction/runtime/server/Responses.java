package io.cvatfunction.runtime.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.util.Map;

/** Writes JSON answers: results, and errors as {@code {"error": "..."}}. */
final class Responses {

  static final ObjectMapper JSON = new ObjectMapper();

  private Responses() {}

  static void json(HttpServerExchange exchange, int status, byte[] body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseSender().send(ByteBuffer.wrap(body));
  }

  static void error(HttpServerExchange exchange, int status, String message) {
    json(exchange, status, errorBody(message));
  }

  static void status(HttpServerExchange exchange, int status, String value) {
    json(exchange, status, bytes(Map.of("status", value)));
  }

  static byte[] errorBody(String message) {
    return bytes(Map.of("error", message));
  }

  static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (Exception e) {
      throw new IllegalStateException("cannot serialise " + value, e);
    }
  }
}
