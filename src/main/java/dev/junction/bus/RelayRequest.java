package dev.junction.bus;

import dev.junction.routing.Endpoint;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One downstream JSON-RPC message handed from ingress to the tenant's pool shard.
 *
 * @param endpoint the endpoint the client posted to
 * @param sessionId the downstream session, or null for initialize and for stateless requests
 * @param tenantKey the hashed tenant identity
 * @param protocolVersion the revision this message speaks (negotiated, or from the header/_meta)
 * @param stateless true for the 2026-07-28 revision
 * @param message the parsed message; the receiver must not modify it
 * @param exchangeAddress where progress and server requests for this call are streamed; null for
 *     notifications and responses
 * @param subjectToken the client's verified token, only when some upstream exchanges or passes it
 *     on; a secret, never logged
 * @param apiKey the SHA-256 (hex) of the API key that authenticated the message, or null; a session
 *     remembers the one its initialize came with, and ends when a reload removes that key
 * @param paramHeaders a 2026-07-28 tools/call's {@code Mcp-Param-*} headers, forwarded to a 2026-07-28
 *     upstream; null when there are none
 */
public record RelayRequest(Endpoint endpoint, String sessionId, String tenantKey, String protocolVersion,
    boolean stateless, JsonObject message, String exchangeAddress, String subjectToken, String apiKey,
    Map<String, String> paramHeaders) implements BusMessage {

  /** A request without {@code Mcp-Param-*} headers. */
  public RelayRequest(Endpoint endpoint, String sessionId, String tenantKey, String protocolVersion,
      boolean stateless, JsonObject message, String exchangeAddress, String subjectToken, String apiKey) {
    this(endpoint, sessionId, tenantKey, protocolVersion, stateless, message, exchangeAddress, subjectToken, apiKey,
        null);
  }

  @Override
  public String toString() {
    return "RelayRequest[endpoint=" + endpoint + ", method=" + message.getString("method") + "]";
  }
}
