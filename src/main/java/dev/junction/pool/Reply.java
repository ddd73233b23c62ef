package dev.junction.pool;

import io.vertx.core.json.JsonObject;

/**
 * An upstream's answer to one request and how the request ended. The message is always a
 * JSON-RPC response (the upstream's, or the gateway's error naming the upstream), so callers can
 * relay it; the outcome says what it means for the upstream's health and for a retry, without
 * reading the message's shape. {@code challenge} is an upstream's {@code WWW-Authenticate} value
 * with {@link Outcome#UNAUTHORIZED}.
 */
record Reply(JsonObject message, Outcome outcome, String challenge) {
  Reply(JsonObject message, Outcome outcome) {
    this(message, outcome, null);
  }

  /** How a request ended. */
  enum Outcome {
    /** A result. */
    OK,
    /** The upstream's own JSON-RPC error: an answer, not a fault. */
    ERROR,
    /** No answer within the request timeout. */
    TIMEOUT,
    /** Reached, but no usable answer (an HTTP error status, a broken body). */
    UNAVAILABLE,
    /** Not reached: connection refused or reset, process gone. */
    DISCONNECTED,
    /** The upstream no longer knew the session; a fresh session may succeed. */
    EXPIRED,
    /** The client or the gateway gave up on it. */
    CANCELLED,
    /** The upstream refused the gateway's credentials (HTTP 401); renewed credentials may succeed. */
    UNAUTHORIZED,
    /** The gateway turned it away before it reached the upstream (circuit open, limits). */
    REFUSED;

    /** Counts against the upstream's health. */
    boolean fault() {
      return this == TIMEOUT || this == UNAVAILABLE || this == DISCONNECTED;
    }

    /** The metrics label. */
    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The error's message, for logs and the admin view (never a body), or the outcome. */
  String detail() {
    JsonObject error = message.getJsonObject("error");
    return error == null || error.getString("message") == null ? outcome.label() : error.getString("message");
  }

  /** A lease that was taken and given back without a call (the session was had: a success). */
  static final Reply LEASED = new Reply(new JsonObject(), Outcome.OK);

  /** The gateway's error for a request that ended without the upstream's answer, naming the upstream. */
  static Reply failure(Object id, String upstream, Outcome outcome, String detail) {
    dev.junction.error.JunctionError error = switch (outcome) {
      case TIMEOUT -> dev.junction.error.JunctionError.UPSTREAM_TIMEOUT;
      case CANCELLED -> dev.junction.error.JunctionError.INTERNAL;
      default -> dev.junction.error.JunctionError.UPSTREAM_UNAVAILABLE;
    };
    return new Reply(error.upstreamResponse(id, upstream, detail), outcome);
  }

  static Reply of(JsonObject message) {
    return new Reply(message, message.containsKey("error") ? Outcome.ERROR : Outcome.OK);
  }
}
