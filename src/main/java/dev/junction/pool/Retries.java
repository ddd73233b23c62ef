package dev.junction.pool;

import dev.junction.mcp.McpMethod;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Which requests may be sent again on a fresh session after the upstream forgot the old one
 * (HTTP 404). Reads and lists are safe by nature; a tool call only when the upstream marks the
 * tool {@code readOnlyHint} or {@code idempotentHint} (server/tools, "Tool Annotations"). The
 * hints are taken from the tool list; a tool that is not listed, or not marked, is not repeated:
 * running a side effect twice is worse than an error.
 */
final class Retries {

  private Retries() {
  }

  static Future<Boolean> safe(Lists lists, Scope scope, String upstream, String method, JsonObject params) {
    McpMethod known = McpMethod.of(method);
    if (known != null && known.safeToRetry()) {
      return Future.succeededFuture(true);
    }
    if (known != McpMethod.TOOLS_CALL || params == null || params.getString("name") == null) {
      return Future.succeededFuture(false);
    }
    String name = params.getString("name");
    return lists.all(scope, upstream, Lists.Kind.of("tools/list")).map(tools -> {
      for (Object o : tools) {
        if (o instanceof JsonObject tool && name.equals(tool.getString("name"))) {
          JsonObject hints = tool.getJsonObject("annotations", new JsonObject());
          return Boolean.TRUE.equals(hints.getBoolean("readOnlyHint"))
              || Boolean.TRUE.equals(hints.getBoolean("idempotentHint"));
        }
      }
      return false;
    }).otherwise(false);
  }
}
