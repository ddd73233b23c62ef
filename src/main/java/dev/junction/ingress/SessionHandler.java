package dev.junction.ingress;

import static dev.junction.ingress.Responses.error;

import dev.junction.bus.Addresses;
import dev.junction.bus.SessionCommand;
import dev.junction.bus.SessionIds;
import dev.junction.bus.SessionReply;
import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.mcp.McpMeta;
import dev.junction.mcp.ProtocolVersion;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * GET and DELETE on an MCP endpoint: the session's stream for server-initiated messages, and the
 * end of a session (basic/transports). The shard that owns the session decides; this side holds
 * the stream and its keep-alive comments. Also where a session id is read back: it names its
 * shard. Runs on its ingress verticle's context.
 */
final class SessionHandler {
  private final Vertx vertx;
  private final long keepAliveMs;
  // Owned by the ingress context.
  private final Streams streams;
  private final Forwards forwards;

  SessionHandler(Vertx vertx, JunctionConfig config, Streams streams, Forwards forwards) {
    this.vertx = vertx;
    this.forwards = forwards;
    this.keepAliveMs = config.sseKeepAliveMs();
    this.streams = streams;
  }

  /** The shard named by a single node's session id among {@code shards}, or -1 ({@link SessionIds}). Pure. */
  static int shardOf(String sessionId, int shards) {
    return SessionIds.shardOf(sessionId, shards);
  }

  /** GET opens the session's stream for server-initiated messages (basic/transports). */
  void get(HttpServerRequest req, Identity identity) {
    HttpServerResponse resp = req.response();
    if (refusedAsStateless(req, "2026-07-28 has no GET stream")) {
      return;
    }
    String accept = req.getHeader("Accept");
    if (accept == null || !(accept.contains(McpMeta.SSE) || accept.contains("*/*"))) {
      error(resp, JunctionError.NOT_ACCEPTABLE, null, false);
      return;
    }
    String sessionId = req.getHeader(McpMeta.HEADER_SESSION_ID);
    String pool = ownerOf(resp, sessionId);
    if (pool == null) {
      return;
    }
    String tenant = identity.tenantKey();
    String shardAddress = Addresses.sessionsOf(pool);
    String address = streams.open(event -> Sse.write(resp, event.message()));
    SessionCommand open = new SessionCommand(SessionCommand.Kind.OPEN_STREAM, sessionId, tenant, address);
    forwards.<SessionReply>request(shardAddress, open, new DeliveryOptions(), "stream").onComplete(ar -> {
          JunctionError refused = refusal(ar);
          if (refused != null) {
            streams.close(address);
            error(resp, refused, null, false);
            return;
          }
          resp.setChunked(true).setStatusCode(200);
          Sse.headers(resp);
          resp.writeHead();
          long keepAlive = vertx.setPeriodic(keepAliveMs, t -> Sse.keepAlive(resp));
          // the owner node's loss ends the stream: the session is gone with it
          Runnable lost = () -> resp.reset(); // closes the connection, which runs the close handler
          String owner = forwards.watchStream(shardAddress, lost);
          resp.closeHandler(v -> {
            forwards.unwatch(owner, lost);
            vertx.cancelTimer(keepAlive);
            streams.close(address);
            vertx.eventBus().send(shardAddress,
                new SessionCommand(SessionCommand.Kind.CLOSE_STREAM, sessionId, tenant, address));
          });
        });
  }

  /** DELETE ends the session and closes its upstream sessions (basic/transports, "Session Management"). */
  void delete(HttpServerRequest req, Identity identity) {
    HttpServerResponse resp = req.response();
    if (refusedAsStateless(req, "2026-07-28 has no sessions")) {
      return;
    }
    String sessionId = req.getHeader(McpMeta.HEADER_SESSION_ID);
    String pool = ownerOf(resp, sessionId);
    if (pool == null) {
      return;
    }
    forwards.<SessionReply>request(Addresses.sessionsOf(pool),
        new SessionCommand(SessionCommand.Kind.END_SESSION, sessionId, identity.tenantKey(), null),
        new DeliveryOptions(), "delete")
        .onComplete(ar -> {
          JunctionError refused = refusal(ar);
          if (refused == null) {
            resp.setStatusCode(200).end();
          } else {
            error(resp, refused, null, false);
          }
        });
  }

  /** A 2026-07-28 client has neither GET streams nor sessions: 405, with POST as what is allowed. */
  private static boolean refusedAsStateless(HttpServerRequest req, String why) {
    if (!ProtocolVersion.V2026_07_28.equals(req.getHeader(McpMeta.HEADER_PROTOCOL_VERSION))) {
      return false;
    }
    req.response().putHeader("Allow", "POST");
    error(req.response(), JunctionError.METHOD_NOT_ALLOWED, why, true);
    return true;
  }

  /** The relay address of the shard that owns the session, or null once a 400 or 404 has been sent. */
  private String ownerOf(HttpServerResponse resp, String sessionId) {
    if (sessionId == null) {
      error(resp, JunctionError.MISSING_SESSION, null, false);
      return null;
    }
    String pool = forwards.poolOf(sessionId);
    if (pool == null) {
      error(resp, JunctionError.UNKNOWN_SESSION, null, false);
    }
    return pool;
  }

  /** The error for a session command the shard refused (or did not answer), or null when it was done. */
  private static JunctionError refusal(AsyncResult<Message<SessionReply>> ar) {
    if (ar.failed()) {
      return Forwards.unknownSession(ar.cause()) ? JunctionError.UNKNOWN_SESSION : JunctionError.INTERNAL;
    }
    return switch (ar.result().body().status()) {
      case OK -> null;
      case UNKNOWN_SESSION -> JunctionError.UNKNOWN_SESSION;
      case STREAM_CONFLICT -> JunctionError.STREAM_CONFLICT;
    };
  }
}
