package dev.junction.ingress;

import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.jsonrpc.JsonBytes;
import dev.junction.mcp.McpMeta;
import dev.junction.metrics.JunctionMetrics;
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

  /**
   * Whether a request of the anonymous tenant is turned away ({@code pool.anonymous: reject}); it
   * then got IDENTITY_REQUIRED, answering {@code message}'s id (null: no single message). Every
   * anonymous request is counted.
   */
  static boolean anonymousRefused(HttpServerResponse resp, Identity identity, JsonObject message,
      JunctionConfig config, JunctionMetrics metrics) {
    if (!TenantKeys.ANONYMOUS.equals(identity.tenantKey())) {
      return false;
    }
    metrics.anonymous(!config.anonymousShared());
    if (config.anonymousShared()) {
      return false;
    }
    send(resp, JunctionError.IDENTITY_REQUIRED.status(false),
        JunctionError.IDENTITY_REQUIRED.response(JsonRpc.answerableId(message)));
    return true;
  }

  static void send(HttpServerResponse resp, int status, JsonObject body) {
    if (!resp.ended() && !resp.closed()) {
      resp.setStatusCode(status).putHeader("Content-Type", McpMeta.JSON).end(JsonBytes.encode(body));
    }
  }
}
