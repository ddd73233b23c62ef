package dev.junction.ingress;

import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonBytes;
import dev.junction.mcp.McpMeta;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writing a whole JSON answer on an MCP endpoint, unless the response has already ended or closed. */
final class Responses {
  private Responses() {
  }

  /** The gateway's own JSON-RPC error, with {@code id: null}. */
  static void error(HttpServerResponse resp, JunctionError error, String detail, boolean stateless) {
    send(resp, error.status(stateless), error.response(null, detail, null));
  }

  static void send(HttpServerResponse resp, int status, JsonObject body) {
    if (!resp.ended() && !resp.closed()) {
      resp.setStatusCode(status).putHeader("Content-Type", McpMeta.JSON).end(JsonBytes.encode(body));
    }
  }
}
