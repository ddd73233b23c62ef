package dev.junction.ingress;

import dev.junction.jsonrpc.JsonBytes;
import dev.junction.mcp.McpMeta;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** Writing {@code text/event-stream} responses. */
final class Sse {
  private static final byte[] EVENT = "event: message\ndata: ".getBytes(StandardCharsets.UTF_8);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.UTF_8);

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
      response.write(Buffer.buffer(EVENT).appendBuffer(JsonBytes.encode(message)).appendBytes(END));
    }
  }

  /** A comment that keeps idle connections and proxies from timing out. */
  static void keepAlive(HttpServerResponse response) {
    if (!response.ended() && !response.closed()) {
      response.write(": keep-alive\n\n");
    }
  }
}
