package dev.junction.ingress;

import dev.junction.mcp.McpMeta;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writing {@code text/event-stream} responses. */
final class Sse {
  private Sse() {
  }

  /** The headers of an SSE response; proxies must not buffer it (2026-07-28 streamable-http). */
  static void headers(HttpServerResponse response) {
    response.putHeader("Content-Type", McpMeta.SSE)
        .putHeader("Cache-Control", "no-cache, no-transform")
        .putHeader("X-Accel-Buffering", "no");
  }

  /** One JSON-RPC message as a {@code message} event. */
  static void write(HttpServerResponse response, JsonObject message) {
    if (!response.ended() && !response.closed()) {
      response.write("event: message\ndata: " + message.encode() + "\n\n");
    }
  }

  /** A comment that keeps idle connections and proxies from timing out. */
  static void keepAlive(HttpServerResponse response) {
    if (!response.ended() && !response.closed()) {
      response.write(": keep-alive\n\n");
    }
  }
}
