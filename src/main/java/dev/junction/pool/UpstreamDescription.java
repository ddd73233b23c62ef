package dev.junction.pool;

import io.vertx.core.json.JsonObject;

/**
 * What revision negotiation learned about an upstream: the protocol revision it speaks, whether
 * that is the stateless 2026-07-28, and its initialize result (capabilities, serverInfo,
 * instructions, and any members of newer revisions, kept as they came). Immutable: it holds its
 * own copy of the result and hands out copies.
 *
 * @param protocolVersion the negotiated revision
 * @param stateless true when the upstream speaks 2026-07-28: no session, the client data travels in
 *     every request's {@code _meta}
 */
record UpstreamDescription(String protocolVersion, boolean stateless, JsonObject initializeResult) {
  UpstreamDescription {
    initializeResult = initializeResult.copy();
  }

  /** A copy of the upstream's initialize result, as an initialize answer would carry it. */
  @Override
  public JsonObject initializeResult() {
    return initializeResult.copy();
  }

  /** A copy of the upstream's capabilities (empty when it declared none). */
  JsonObject capabilities() {
    JsonObject caps = initializeResult.getJsonObject("capabilities");
    return caps == null ? new JsonObject() : caps.copy();
  }

  /** The upstream's instructions, or null. */
  String instructions() {
    return initializeResult.getString("instructions");
  }
}
