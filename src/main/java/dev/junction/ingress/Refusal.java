package dev.junction.ingress;

import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonBytes;
import dev.junction.mcp.McpMeta;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Refusals made before a request reaches its handler (Host check, body limits, routing
 * failures): a JSON-RPC error with {@code id: null} on an MCP endpoint, a small JSON object
 * elsewhere. Never plain text, never a stack trace.
 */
final class Refusal {
  private Refusal() {
  }

  /** {@code /mcp}, {@code /servers/<name>/mcp} or {@code /v/<name>/mcp}, or something that looks like one. */
  static boolean isMcpPath(String path) {
    return path != null && (path.equals("/mcp")
        || ((path.startsWith("/servers/") || path.startsWith("/v/")) && path.endsWith("/mcp")));
  }

  static void send(HttpServerRequest req, JunctionError error, JsonObject data) {
    HttpServerResponse resp = req.response();
    if (resp.ended() || resp.closed()) {
      return;
    }
    JsonObject body = isMcpPath(req.path()) ? error.response(null, null, data)
        : new JsonObject().put("error", error.message());
    resp.setStatusCode(error.status(false)).putHeader("Content-Type", McpMeta.JSON).end(JsonBytes.encode(body));
  }
}
