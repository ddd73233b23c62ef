package dev.junction.error;

import io.vertx.core.json.JsonObject;

/**
 * Every failure the gateway reports, with its JSON-RPC code and HTTP statuses. This is the only
 * place where codes and statuses are chosen.
 *
 * <p>Two statuses are kept because the two protocol generations differ: the session-based
 * revisions (2025-03-26 to 2025-11-25) answer errors inside a valid exchange with HTTP 200 and a
 * JSON-RPC error (a 404 there would tell the client its session is gone), while the stateless
 * revision 2026-07-28 maps some errors to HTTP statuses (an unknown method is 404).
 */
public enum JunctionError {
  /** The body is not JSON. Always answered with {@code id: null}. */
  PARSE_ERROR(-32700, 400, 400, "Parse error"),
  /** Not a JSON-RPC 2.0 message, or a message the transport does not allow. */
  INVALID_REQUEST(-32600, 400, 400, "Invalid request"),
  /** The Accept header lists neither JSON nor SSE as acceptable. */
  NOT_ACCEPTABLE(-32600, 406, 406, "Not acceptable: Accept must list application/json and text/event-stream"),
  /** The Content-Type of a POST is not application/json. */
  UNSUPPORTED_MEDIA_TYPE(-32600, 415, 415, "Unsupported media type: use application/json"),
  /** The Origin header is present and not allowed (DNS rebinding protection). */
  FORBIDDEN_ORIGIN(-32600, 403, 403, "Forbidden origin"),
  /**
   * The Host header names neither a loopback name, an IP address, the listen host, the resource's
   * host nor an {@code allowedHosts} entry (DNS rebinding protection; basic/transports, "Security Warning").
   */
  FORBIDDEN_HOST(-32600, 403, 403, "Forbidden host"),
  /** The request body is larger than {@code limits.maxBody}. Answered before the body is read. */
  BODY_TOO_LARGE(-32600, 413, 413, "Body too large"),
  /**
   * Request bodies being received already hold the ingress's share of {@code limits.bodyBudget};
   * the client may retry. Answered before the body is buffered.
   */
  BODY_BUDGET_EXCEEDED(-32603, 503, 503, "Server busy: too many request bodies in flight"),
  /** The request names a session that does not exist, ended, or belongs to someone else. */
  UNKNOWN_SESSION(-32600, 404, 404, "Session not found"),
  /** A session-based request arrived without an Mcp-Session-Id. */
  MISSING_SESSION(-32600, 400, 400, "Missing Mcp-Session-Id header"),
  /** The request carries no identity and the config does not let anonymous requests share a tenant. */
  IDENTITY_REQUIRED(-32600, 401, 401, "Identity required: send one of the configured identity headers"),
  /** The path names an upstream that is not configured. */
  UNKNOWN_SERVER(-32600, 404, 404, "Unknown server"),
  /** No valid credential (RFC 6750 3.1: no token, or an invalid, expired or foreign one). */
  UNAUTHENTICATED(-32600, 401, 401, "Unauthorized"),
  /** A valid credential without the needed scope, or for a tenant that is not allowed here. */
  FORBIDDEN(-32600, 403, 403, "Forbidden"),
  /** The authorization server's keys are not loaded yet, so no token can be checked. */
  AUTH_UNAVAILABLE(-32603, 503, 503, "Authorization server unavailable"),
  /** The requested protocol revision is not one the gateway speaks. */
  UNSUPPORTED_PROTOCOL_VERSION(-32022, 400, 400, "Unsupported protocol version"),
  /**
   * 2026-07-28: a required header (MCP-Protocol-Version, Mcp-Method, Mcp-Name) is missing or
   * disagrees with the body (basic/transports/streamable-http, "Server Validation").
   */
  HEADER_MISMATCH(-32020, 400, 400, "Header mismatch"),
  /** A second GET stream for a session that already has one. */
  STREAM_CONFLICT(-32600, 409, 409, "A stream is already open for this session"),
  /** GET and DELETE are not part of the stateless revision, and other verbs are never allowed. */
  METHOD_NOT_ALLOWED(-32600, 405, 405, "Method not allowed"),
  /** The JSON-RPC method is not known here. */
  METHOD_NOT_FOUND(-32601, 200, 404, "Method not found"),
  /** Bad params, or an unknown or hidden tool (one text for both so hidden tools cannot be probed). */
  INVALID_PARAMS(-32602, 200, 400, "Invalid params"),
  /**
   * A 2026-07-28 retry whose {@code requestState} the gateway issued fails verification: forged,
   * expired, another tenant's, or its round is over (basic/patterns/mrtr, "Server Requirements").
   */
  INVALID_REQUEST_STATE(-32602, 200, 400, "Invalid params: requestState is not valid"),
  /**
   * An upstream asked for input (elicitation, sampling, roots) that the client did not declare it
   * can give: 2026-07-28's MissingRequiredClientCapabilityError (basic, "_meta"), whose
   * {@code data.requiredCapabilities} lists the missing capabilities; built by {@link #missingCapability}.
   * It answers a 2025 upstream's request for a 2026-07-28 client, and fails a 2025 client's call to a
   * 2026-07-28 upstream; an upstream that detects it itself sends the same code.
   */
  MISSING_CLIENT_CAPABILITY(-32021, 200, 400, "Missing required client capability"),
  /** The upstream did not answer in time. */
  UPSTREAM_TIMEOUT(-32001, 200, 200, "Upstream request timed out"),
  /**
   * The upstream refused this request with an HTTP 4xx and no JSON-RPC answer (its own error, if
   * it sent one, is relayed instead); {@code data.status} has the HTTP status.
   */
  UPSTREAM_REJECTED(-32600, 200, 200, "Upstream refused the request"),
  /**
   * The tenant is over one of its rate limits; the gateway turned the call away before it reached
   * an upstream. {@code data.retryAfterMs} says when a token is back, {@code data.scope} which
   * limit it hit ({@code tenant}, {@code upstream}, {@code tool}). 2026-07-28 answers it with HTTP
   * 429 and {@code Retry-After} (RFC 6585 4); in a session it is a JSON-RPC error like any other.
   */
  RATE_LIMITED(-32029, 200, 429, "Rate limit exceeded"),
  /** The request was cancelled before its answer arrived: by its client, or because its session ended. */
  CANCELLED(-32603, 200, 200, "Request cancelled"),
  /** The upstream is down, its circuit is open, or it closed the exchange. */
  UPSTREAM_UNAVAILABLE(-32603, 200, 200, "Upstream unavailable"),
  /** Anything unexpected. Carries {@code data.ref} to find the log line, never a stack trace. */
  INTERNAL(-32603, 200, 200, "Internal error"),
  /** A handler failed before an exchange began (there is no JSON-RPC exchange to carry the error). */
  HANDLER_FAILURE(-32603, 500, 500, "Internal error");

  private final int code;
  private final int sessionStatus;
  private final int statelessStatus;
  private final String message;

  JunctionError(int code, int sessionStatus, int statelessStatus, String message) {
    this.code = code;
    this.sessionStatus = sessionStatus;
    this.statelessStatus = statelessStatus;
    this.message = message;
  }

  /** The JSON-RPC error code. */
  public int code() {
    return code;
  }

  /** The default message text. */
  public String message() {
    return message;
  }

  /** The HTTP status for this error in the given protocol generation. */
  public int status(boolean stateless) {
    return stateless ? statelessStatus : sessionStatus;
  }

  /**
   * The HTTP status of a 2026-07-28 response that carries this JSON-RPC error, whoever produced
   * it: -32601 is 404; -32602, -32020 (HeaderMismatch), -32021 (MissingRequiredClientCapability) and
   * -32022 (UnsupportedProtocolVersion) are 400 (basic/transports/streamable-http); the gateway's own rate
   * limit (its code with {@code data.retryAfterMs}) is 429; errors of the call itself travel in a
   * 200, which every client reads as a JSON-RPC error.
   */
  public static int statelessStatusOf(JsonObject error) {
    Object code = error.getValue("code");
    if (code instanceof Integer c && c == RATE_LIMITED.code && retryAfterMs(error) >= 0) {
      return RATE_LIMITED.statelessStatus;
    }
    return code instanceof Integer c ? statelessStatusOf(c) : 200;
  }

  /** The HTTP status of a 2026-07-28 response with this error code (see {@link #statelessStatusOf(JsonObject)}). */
  public static int statelessStatusOf(int code) {
    return code == METHOD_NOT_FOUND.code ? METHOD_NOT_FOUND.statelessStatus
        : code == INVALID_PARAMS.code || code == HEADER_MISMATCH.code || code == MISSING_CLIENT_CAPABILITY.code
            || code == UNSUPPORTED_PROTOCOL_VERSION.code ? 400 : 200;
  }

  /** {@code data.retryAfterMs} of a JSON-RPC error, or -1. */
  public static long retryAfterMs(JsonObject error) {
    Object data = error == null ? null : error.getValue("data");
    return data instanceof JsonObject d && d.getValue("retryAfterMs") instanceof Number n ? n.longValue() : -1;
  }

  /**
   * The {@code Retry-After} value (RFC 9110 10.2.3: whole seconds, rounded up) for a response body
   * whose error carries {@code data.retryAfterMs}, or null.
   */
  public static String retryAfterHeader(JsonObject response) {
    long ms = retryAfterMs(response == null ? null : response.getJsonObject("error"));
    return ms < 0 ? null : Long.toString((ms + 999) / 1_000);
  }

  /** A rate limit refusal: the text names the limit, {@code data} says when to retry and which limit it was. */
  public static JsonObject rateLimited(Object id, String scope, String upstream, long retryAfterMs) {
    JsonObject data = new JsonObject().put("retryAfterMs", retryAfterMs).put("scope", scope);
    if (upstream != null) {
      data.put("upstream", upstream);
    }
    String limit = upstream == null ? "the tenant's limit"
        : "tool".equals(scope) ? "the tenant's limit for this tool of upstream " + upstream
        : "the tenant's limit on upstream " + upstream;
    return RATE_LIMITED.response(id, limit + "; retry after " + retryAfterMs + " ms", data);
  }

  /**
   * A refusal of input the client cannot give: {@code data.requiredCapabilities} is a
   * ClientCapabilities object with the missing one, {@code data.upstream} the upstream that asked
   * (when known).
   */
  public static JsonObject missingCapability(Object id, String capability, String upstream, String detail) {
    JsonObject data = new JsonObject().put("requiredCapabilities", new JsonObject().put(capability, new JsonObject()));
    if (upstream != null) {
      data.put("upstream", upstream);
    }
    return MISSING_CLIENT_CAPABILITY.response(id, detail, data);
  }

  /** The JSON-RPC {@code error} member. */
  public JsonObject error(String detail, JsonObject data) {
    JsonObject error = new JsonObject()
        .put("code", code)
        .put("message", detail == null ? message : message + ": " + detail);
    if (data != null) {
      error.put("data", data);
    }
    return error;
  }

  /** A whole JSON-RPC error response; {@code id} may be null, as for parse errors. */
  public JsonObject response(Object id, String detail, JsonObject data) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("error", error(detail, data));
  }

  /** A whole JSON-RPC error response with the default text. */
  public JsonObject response(Object id) {
    return response(id, null, null);
  }

  /** An error response naming the upstream in {@code data.upstream}. */
  public JsonObject upstreamResponse(Object id, String upstream, String detail) {
    return response(id, detail, new JsonObject().put("upstream", upstream));
  }
}
