package dev.junction.upstream;

import dev.junction.error.Outcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A message channel to one upstream MCP server. A transport is created on, and used only from,
 * its owner's context (a pool shard); every callback runs on that context.
 *
 * <p>A request the transport cannot deliver, or whose answer cannot arrive, is reported once with
 * {@link Listener#onFailure}; the session layer turns it into the client's error.
 */
public interface UpstreamTransport {

  /** Receives what the upstream sends. Runs on the owner context. */
  interface Listener {
    /**
     * A message from the upstream.
     *
     * @param message a response, request or notification
     * @param relatedId the id of the request whose HTTP response stream carried it, or null when
     *     the transport cannot tell (stdio, the GET stream)
     */
    void onMessage(JsonObject message, Object relatedId);

    /** Request {@code id} will get no answer from the upstream, for this reason. */
    void onFailure(Object id, Outcome outcome, String detail);

    /**
     * Request {@code id} was refused with 401; {@code challenge} is the upstream's
     * {@code WWW-Authenticate} value (it may name the upstream's resource metadata), or null.
     */
    default void onUnauthorized(Object id, String challenge) {
      onFailure(id, Outcome.UNAUTHORIZED, "HTTP 401");
    }

    /** The transport is gone for good (process exit, upstream session expired). Called once. */
    void onClosed(Outcome outcome, String reason);
  }

  /** Starts the transport (spawns the process); completes when messages can be sent. */
  Future<Void> start(Listener listener);

  /** Sends one message. Completes when it is handed to the upstream. */
  Future<Void> send(JsonObject message);

  /**
   * Sends one message with HTTP headers of its own (a 2026-07-28 tools/call's {@code Mcp-Param-*});
   * transports other than Streamable HTTP have no headers and send the message alone.
   */
  default Future<Void> send(JsonObject message, Map<String, String> headers) {
    return send(message);
  }

  /**
   * Called once initialize has completed, with the negotiated protocol version; HTTP transports
   * start sending the version header and may open their GET stream.
   */
  default void initialized(String protocolVersion) {
  }

  /**
   * The caller gave up on request {@code id} (timeout or downstream cancel). HTTP transports
   * close that request's response stream, which is how 2026-07-28 cancels; the session layer
   * sends {@code notifications/cancelled} itself where the revision has it.
   */
  default void abandon(Object id) {
  }

  /**
   * Switches the transport to the stateless revision 2026-07-28 (or back, when a probe fails):
   * no session id, no GET stream, and the revision's headers on every request. HTTP and stdio
   * transports can (stdio has nothing to switch); the answer says whether this one did.
   */
  default boolean stateless(boolean on) {
    return false;
  }

  /** Closes the transport: DELETE for an HTTP session, kill for a process. Never fails. */
  Future<Void> close();

  /**
   * From now on, hear what the upstream sends outside of answers (an HTTP session's GET stream):
   * a client that can receive it has come. Completes once listening has begun (or cannot);
   * transports that always hear everything complete at once.
   */
  default Future<Void> listen() {
    return Future.succeededFuture();
  }
}
