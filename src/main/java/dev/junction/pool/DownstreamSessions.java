package dev.junction.pool;

import dev.junction.bus.LocalNode;
import dev.junction.bus.RelayRequest;
import dev.junction.bus.SessionCommand;
import dev.junction.bus.SessionIds;
import dev.junction.bus.SessionReply;
import dev.junction.config.JunctionConfig;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.metrics.JunctionMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The downstream side of one shard: the sessions of session-based clients by id, and one scope per
 * stateless tenant. Mints session ids, answers the session commands (GET streams, DELETE,
 * cancelled exchanges) and ends what has been idle longer than {@code sessionIdleTimeout}. Owned
 * by the shard context.
 */
final class DownstreamSessions {
  /**
   * What the gateway declares upstream for stateless tenants: what a 2026-07-28 client can answer
   * through input-required rounds ({@link MrtrRounds}; a client that did not declare one is refused
   * per request), so upstreams offer their elicitation, sampling and roots tools.
   */
  private static final JsonObject MRTR_CAPABILITIES = new JsonObject().put("elicitation", new JsonObject())
      .put("sampling", new JsonObject()).put("roots", new JsonObject());

  private final Vertx vertx;
  private final int shard;
  private final long idleTimeoutMs;
  private final JunctionMetrics metrics;
  private final UpstreamPool pool;
  private final ShardCredentials credentials;
  private final long sweeper;

  // Owned by the shard context.
  private final Map<String, DownstreamSession> sessions = new HashMap<>();
  private final Map<String, Scope> tenants = new HashMap<>();

  DownstreamSessions(Vertx vertx, JunctionConfig config, int shard, JunctionMetrics metrics, UpstreamPool pool,
      ShardCredentials credentials) {
    this.vertx = vertx;
    this.shard = shard;
    this.idleTimeoutMs = config.sessionIdleTimeoutMs();
    this.metrics = metrics;
    this.pool = pool;
    this.credentials = credentials;
    // a quarter of the idle timeout: an idle session goes at most a quarter late
    long sweep = Math.max(100, Math.min(30_000, idleTimeoutMs / 4));
    this.sweeper = vertx.setPeriodic(sweep, t -> sweep());
  }

  /** The scope of the stateless tenant a request comes from (created on its first request), marked as seen. */
  Scope tenant(RelayRequest req) {
    Scope scope = tenants.computeIfAbsent(req.tenantKey(), k -> new Scope(k, MRTR_CAPABILITIES.copy(),
        Discovery.serverInfo(), ProtocolVersion.LATEST_SESSION_BASED));
    scope.lastSeen = System.currentTimeMillis();
    if (req.subjectToken() != null) {
      scope.subjectToken = req.subjectToken();
    }
    return scope;
  }

  /**
   * The session a request names, marked as seen; null when there is none of this tenant on this
   * endpoint. Another tenant's session is as unknown as a missing one: ids never leak across
   * tenants.
   */
  DownstreamSession seen(RelayRequest req) {
    DownstreamSession ds = sessions.get(req.sessionId());
    if (ds == null || !ds.tenantKey.equals(req.tenantKey()) || !ds.endpoint.equals(req.endpoint())) {
      return null;
    }
    ds.lastSeen = System.currentTimeMillis();
    if (req.subjectToken() != null) {
      ds.subjectToken = req.subjectToken();
    }
    return ds;
  }

  /** A new session for an initialize request, under a fresh id; it counts once {@link #established}. */
  DownstreamSession open(RelayRequest req) {
    JsonObject params = JsonRpc.params(req.message());
    String id = SessionIds.create(LocalNode.id(vertx), shard);
    DownstreamSession ds = new DownstreamSession(id, req.tenantKey(), req.endpoint(), req.apiKey(),
        params.getJsonObject("capabilities", new JsonObject()),
        params.getJsonObject("clientInfo", new JsonObject().put("name", "unknown").put("version", "0")),
        req.protocolVersion());
    ds.subjectToken = req.subjectToken();
    sessions.put(id, ds);
    return ds;
  }

  /** The session's initialize succeeded: it counts. */
  void established() {
    metrics.downstreamSessions(1);
  }

  /** The session's initialize failed: it goes, and so do its upstream sessions. */
  void failed(DownstreamSession ds) {
    sessions.remove(ds.id);
    pool.detach(ds);
  }

  /** The live sessions (a view, read on the shard context). */
  Collection<DownstreamSession> all() {
    return sessions.values();
  }

  /** The stateless tenants' scopes (a view, read on the shard context). */
  Collection<Scope> stateless() {
    return tenants.values();
  }

  /** A session command from ingress: open or close a GET stream, end a session, cancel an exchange. */
  void command(Message<SessionCommand> msg) {
    SessionCommand cmd = msg.body();
    if (cmd.kind() == SessionCommand.Kind.CANCEL_EXCHANGE) {
      Scope scope = cmd.sessionId() == null ? tenants.get(cmd.tenantKey()) : sessions.get(cmd.sessionId());
      if (scope != null) {
        scope.upstreamSessions().forEach(s -> s.cancelExchange(cmd.address(), "client closed the stream"));
      }
      return;
    }
    DownstreamSession ds = sessions.get(cmd.sessionId());
    boolean known = ds != null && ds.tenantKey.equals(cmd.tenantKey());
    switch (cmd.kind()) {
      case OPEN_STREAM -> {
        if (!known || ds.ending) {
          msg.reply(SessionReply.UNKNOWN);
        } else if (ds.streamAddress != null) {
          msg.reply(SessionReply.CONFLICT);
        } else {
          ds.streamAddress = cmd.address();
          ds.lastSeen = System.currentTimeMillis();
          msg.reply(SessionReply.OK);
        }
      }
      case CLOSE_STREAM -> {
        if (known && cmd.address().equals(ds.streamAddress)) {
          ds.streamAddress = null;
          // an open stream is activity: the session's idle time starts when it closes
          ds.lastSeen = System.currentTimeMillis();
        }
      }
      case END_SESSION -> {
        if (!known) {
          msg.reply(SessionReply.UNKNOWN);
        } else {
          sessions.remove(ds.id);
          metrics.downstreamSessions(-1);
          pool.detach(ds).onComplete(ar -> msg.reply(SessionReply.OK));
        }
      }
      default -> msg.reply(SessionReply.UNKNOWN);
    }
  }

  /**
   * Ends the sessions a reload took away (their tenant is no longer declared, or the API key they
   * were opened with is gone), with their upstream sessions. One with a call in flight is marked
   * {@link DownstreamSession#ending}: it takes no new request, and ends once its calls are
   * answered ({@link #callDone}).
   */
  void endWhere(Predicate<DownstreamSession> gone) {
    sessions.values().removeIf(ds -> {
      if (!gone.test(ds)) {
        return false;
      }
      if (ds.calls > 0) {
        ds.ending = true;
        return false;
      }
      metrics.downstreamSessions(-1);
      pool.detach(ds);
      return true;
    });
  }

  /** A call of the session has been answered: a session a reload took away ends with its last call. */
  void callDone(DownstreamSession ds) {
    if (ds.ending && ds.calls == 0 && sessions.remove(ds.id, ds)) {
      metrics.downstreamSessions(-1);
      pool.detach(ds);
    }
  }

  /** Ends downstream sessions and stateless tenant scopes that have been idle too long. */
  private void sweep() {
    long cutoff = System.currentTimeMillis() - idleTimeoutMs;
    sessions.values().removeIf(ds -> {
      // a call in flight and an open stream are activity: the session is not idle
      boolean idle = ds.lastSeen < cutoff && ds.streamAddress == null && ds.calls == 0;
      if (idle) {
        metrics.downstreamSessions(-1);
        pool.detach(ds);
      }
      return idle;
    });
    tenants.values().removeIf(scope -> {
      boolean idle = scope.lastSeen < cutoff && scope.listening == 0;
      if (idle) {
        pool.detach(scope);
      }
      return idle;
    });
    // credentials of tenants that have no scope left go too, so tenant churn cannot grow memory
    Set<String> live = new HashSet<>(tenants.keySet());
    sessions.values().forEach(ds -> live.add(ds.tenantKey));
    credentials.retain(live);
  }

  /** Stops the sweeper and forgets every session (the shard is stopping; the pool closes the upstream side). */
  void close() {
    vertx.cancelTimer(sweeper);
    sessions.clear();
    tenants.clear();
  }
}
