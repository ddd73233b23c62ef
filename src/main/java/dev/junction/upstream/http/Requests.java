package dev.junction.upstream.http;

import dev.junction.mcp.McpMeta;
import dev.junction.mcp.McpMethod;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * How the requests of one Streamable HTTP upstream session are built: the target and configured
 * headers (credentials included), then what the session adds to each (basic/transports): its id
 * and protocol version after initialize, or on 2026-07-28 the version, method and name of every
 * POST. Owned by the transport's context.
 */
final class Requests {
  private final Target target;
  private final Map<String, String> headers;
  private final long connectTimeoutMs;

  // Owned by the transport's context.
  private String sessionId;
  private String protocolVersion;
  /** 2026-07-28: no session; version, method and name travel as headers on every POST. */
  private boolean stateless;
  /**
   * The headers every POST of the session carries as it stands (configured, session, content
   * types), built once per change of the session rather than per request; null when stale.
   * Vert.x copies a request's headers from its options, so one map serves every request.
   */
  private MultiMap postHeaders;

  Requests(Target target, Map<String, String> headers, long connectTimeoutMs) {
    this.target = target;
    this.headers = Map.copyOf(headers);
    this.connectTimeoutMs = connectTimeoutMs;
  }

  /** The upstream's session id, or null before initialize, after expiry, or on 2026-07-28. */
  String sessionId() {
    return sessionId;
  }

  void sessionId(String id) {
    this.sessionId = id;
    postHeaders = null;
  }

  void protocolVersion(String version) {
    this.protocolVersion = version;
    postHeaders = null;
  }

  boolean stateless() {
    return stateless;
  }

  void stateless(boolean on) {
    this.stateless = on;
    postHeaders = null;
  }

  /**
   * A POST of one message, with the trace it continues (W3C Trace Context) as a header, and on
   * 2026-07-28 the message's own headers ({@code Mcp-Param-*}, may be null).
   */
  RequestOptions post(JsonObject message, Map<String, String> own) {
    if (postHeaders == null) {
      postHeaders = sessionHeaders().add("Content-Type", McpMeta.JSON).add("Accept", McpMeta.JSON + ", " + McpMeta.SSE);
    }
    JsonObject params = message.getJsonObject("params");
    JsonObject meta = params == null ? null : params.getJsonObject("_meta");
    String traceparent = meta != null && meta.getValue("traceparent") instanceof String t ? t : null;
    RequestOptions options = target(HttpMethod.POST);
    if (!stateless && traceparent == null) {
      return options.setHeaders(postHeaders);
    }
    options.setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(postHeaders));
    if (stateless) {
      statelessHeaders(options, message);
      if (own != null) {
        own.forEach(options::putHeader);
      }
    }
    if (traceparent != null) {
      options.putHeader("traceparent", traceparent); // W3C Trace Context, continued by the gateway
    }
    return options;
  }

  /** basic/transports/streamable-http (2026-07-28), "Request Metadata". */
  private static void statelessHeaders(RequestOptions options, JsonObject message) {
    options.putHeader(McpMeta.HEADER_PROTOCOL_VERSION, "2026-07-28");
    String method = message.getString("method");
    if (method == null) {
      return;
    }
    options.putHeader(McpMeta.HEADER_METHOD, method);
    McpMethod known = McpMethod.of(method);
    String name = known == null ? null : known.targetOf(message.getJsonObject("params"));
    if (name != null) {
      options.putHeader(McpMeta.HEADER_NAME, McpMeta.encodeName(name));
    }
  }

  /** A request to the upstream's URL with the configured headers and the session's own. */
  RequestOptions of(HttpMethod method) {
    return target(method).setHeaders(sessionHeaders());
  }

  /** The configured headers and, while the session is session-based, its id and version. */
  private MultiMap sessionHeaders() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    if (sessionId != null && !stateless) {
      h.add(McpMeta.HEADER_SESSION_ID, sessionId);
    }
    if (protocolVersion != null && !stateless) {
      h.add(McpMeta.HEADER_PROTOCOL_VERSION, protocolVersion);
    }
    return h;
  }

  private RequestOptions target(HttpMethod method) {
    return new RequestOptions().setMethod(method).setHost(target.host()).setPort(target.port())
        .setURI(target.uri()).setSsl(target.ssl()).setConnectTimeout(connectTimeoutMs);
  }
}
