package dev.junction.pool;

import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMethod;
import dev.junction.metrics.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.json.JsonObject;

/**
 * The shard's spans, when tracing is on: one for its work on a request (under the ingress's server
 * span, found in {@code params._meta.traceparent}) and a client span per upstream call, whose
 * context replaces the {@code _meta} one so that the upstream (HTTP header or {@code _meta} over
 * stdio) sees it as its parent. Runs on the shard context; holds no state of its own.
 */
final class CallSpans {
  private final Tracing tracing;
  private final JunctionConfig config;

  CallSpans(Tracing tracing, JunctionConfig config) {
    this.tracing = tracing;
    this.config = config;
  }

  /** The shard's span for a request that carries a trace, or null (tracing off, or no trace). */
  Span shard(String method, JsonObject params, Scope scope) {
    String parent = tracing.on() ? Tracing.traceparentOf(params) : null;
    if (parent == null) {
      return null;
    }
    Span span = tracing.start(SpanKind.INTERNAL, method, "shard", parent);
    Tracing.target(span, method, target(method, params));
    span.setAttribute(Tracing.TENANT, scope.tenantKey.substring(0, Math.min(16, scope.tenantKey.length())));
    Tracing.carry(params, span);
    return span;
  }

  /** A client span for one call to {@code upstream}, or null; see {@link #carried}. */
  Span upstream(String upstream, String method, JsonObject params) {
    String parent = tracing.on() ? Tracing.traceparentOf(params) : null;
    if (parent == null) {
      return null;
    }
    String target = target(method, params);
    Span span = tracing.start(SpanKind.CLIENT, method, target, parent);
    Tracing.target(span, method, target);
    UpstreamOptions options = config.upstreams().get(upstream);
    span.setAttribute(Tracing.UPSTREAM, upstream).setAttribute(Tracing.TRANSPORT,
        options != null && options.transport() == UpstreamOptions.Transport.STDIO ? "pipe" : "tcp");
    return span;
  }

  /**
   * The params to send with {@code span} as the upstream's parent: a copy of the top level and of
   * {@code _meta}, since a fan-out or a retry sends the same params more than once.
   */
  static JsonObject carried(JsonObject params, Span span) {
    JsonObject copy = JsonRpc.shallowCopy(params);
    JsonObject meta = params.getJsonObject("_meta");
    copy.put("_meta", meta == null ? new JsonObject() : JsonRpc.shallowCopy(meta));
    Tracing.carry(copy, span);
    return copy;
  }

  private static String target(String method, JsonObject params) {
    return McpMethod.of(method) == McpMethod.TOOLS_CALL || "prompts/get".equals(method) ? params.getString("name")
        : method.startsWith("resources/") ? params.getString("uri") : null;
  }
}
