package dev.junction.ingress;

import dev.junction.mcp.McpMethod;
import dev.junction.metrics.Tracing;
import dev.junction.routing.Names;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The server span of one MCP request at the ingress: its parent is the client's {@code traceparent}
 * (the header, else {@code params._meta.traceparent}), and its own context replaces the
 * {@code _meta} one, so the shard's span hangs under it. Only called when tracing is on. Pure.
 */
final class RequestSpans {
  private RequestSpans() {
  }

  /** Starts the span and makes it the parent the shard sees; the caller ends it with the answer. */
  static Span start(Tracing tracing, HttpServerRequest req, JsonObject message, String tenantKey, String sessionId,
      String version) {
    String method = message.getString("method");
    JsonObject params = message.getJsonObject("params");
    String incoming = req.getHeader("traceparent");
    if (incoming == null) {
      incoming = Tracing.traceparentOf(params);
    }
    McpMethod known = McpMethod.of(method);
    String target = known == McpMethod.TOOLS_CALL || "prompts/get".equals(method)
        ? (params == null ? null : params.getString("name"))
        : method.startsWith("resources/") && params != null ? params.getString("uri") : null;
    Span span = tracing.start(SpanKind.SERVER, method, target, incoming);
    Tracing.target(span, method, target);
    span.setAttribute(Tracing.REQUEST_ID, String.valueOf(message.getValue("id")))
        .setAttribute(Tracing.PROTOCOL, version)
        .setAttribute(Tracing.TENANT, hash(tenantKey))
        .setAttribute(Tracing.TRANSPORT, "tcp");
    if (sessionId != null) {
      span.setAttribute(Tracing.SESSION, hash(Names.sha256Hex(sessionId)));
    }
    if (params == null) {
      params = new JsonObject();
      message.put("params", params);
    }
    Tracing.carry(params, span);
    return span;
  }

  /** The first 16 hex digits of a hash: enough to tell apart, not to recover. */
  static String hash(String sha256Hex) {
    return sha256Hex == null ? "-" : sha256Hex.substring(0, Math.min(16, sha256Hex.length()));
  }
}
