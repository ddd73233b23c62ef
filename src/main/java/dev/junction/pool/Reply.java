package dev.junction.pool;

import dev.junction.error.Outcome;
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

  /** The error's message, for logs and the admin view (never a body), or the outcome. */
  String detail() {
    JsonObject error = message.getJsonObject("error");
    return error == null || error.getString("message") == null ? outcome.label() : error.getString("message");
  }

  /** A lease that was taken and given back without a call (the session was had: a success). */
  static final Reply LEASED = new Reply(new JsonObject(), Outcome.OK);

  /** The gateway's error for a request that ended without the upstream's answer, naming the upstream. */
  static Reply failure(Object id, String upstream, Outcome outcome, String detail) {
    return new Reply(outcome.error().upstreamResponse(id, upstream, detail), outcome);
  }

  static Reply of(JsonObject message) {
    return new Reply(message, message.containsKey("error") ? Outcome.ERROR : Outcome.OK);
  }
}
