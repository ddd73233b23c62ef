package dev.junction.bus;

import io.vertx.core.json.JsonObject;

/**
 * The shard's answer to a relayed message.
 *
 * @param status the HTTP status
 * @param body the JSON-RPC response, or null for 202 and for errors carried by status alone
 * @param sessionId the new session's id, set only in answer to initialize
 * @param streamed how many {@link StreamEvent}s the shard sent to the exchange before this reply,
 *     so that ingress writes the final response after all of them
 */
public record RelayReply(int status, JsonObject body, String sessionId, int streamed) implements BusMessage {

  /** A 202 Accepted with no body. */
  public static RelayReply accepted() {
    return new RelayReply(202, null, null, 0);
  }

  /** A JSON-RPC response with HTTP 200. */
  public static RelayReply ok(JsonObject body, int streamed) {
    return new RelayReply(200, body, null, streamed);
  }
}
