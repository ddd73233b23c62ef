package dev.junction.pool;

import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionException;
import dev.junction.error.Outcome;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMeta;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.upstream.UpstreamTransport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MCP session with one upstream, owned by one shard context. Requests get ids unique on this
 * session (a counter) and progress tokens equal to those ids; both are mapped back on the way
 * out, so any number of downstream requests can share it.
 */
final class UpstreamSession implements UpstreamTransport.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamSession.class);

  /** What the session reports to its shard. Runs on the shard context. */
  interface Events {
    void onServerRequest(UpstreamSession session, JsonObject request, Call related);

    void onNotification(UpstreamSession session, JsonObject notification, Call related);

    void onClosed(UpstreamSession session, String reason);
  }

  /**
   * A request in flight, due at {@code deadline} (a {@link System#nanoTime()} value), which is
   * {@link Long#MAX_VALUE} while its timeout is paused ({@link #pause}).
   */
  private record Pending(Promise<Reply> promise, Call call, long deadline, long timeoutMs) {
    boolean paused() {
      return deadline == Long.MAX_VALUE;
    }
  }

  final UpstreamOptions options;
  /** The pool key this session belongs to; its attached scopes hear its notifications. */
  final KeyPool pool;
  private final Vertx vertx;
  private final UpstreamTransport transport;
  private final Events events;
  private final JunctionMetrics metrics = JunctionMetrics.create();

  // Owned by the shard context.
  /** Event-loop contexts run on one thread; handlers may run on duplicates of the context. */
  private final Thread owner = Thread.currentThread();
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Deadlines deadlines;
  private long nextId = 1;
  private boolean closed;
  /** Why the transport went away on its own, or null while it lives or when the gateway closed it. */
  private Outcome failure;
  private UpstreamDescription description;
  /** Requests go the 2026-07-28 way (see {@link #statelessWire}). */
  private boolean stateless;

  UpstreamSession(Vertx vertx, KeyPool pool, UpstreamTransport transport, Events events) {
    this.vertx = vertx;
    this.options = pool.upstream;
    this.pool = pool;
    this.transport = transport;
    this.events = events;
    this.deadlines = new Deadlines(vertx, this::due);
  }

  String upstream() {
    return options.name();
  }

  /** What negotiation learned about the upstream; null until the session is initialized. */
  UpstreamDescription description() {
    return description;
  }

  boolean closed() {
    return closed;
  }

  /**
   * Starts the transport and negotiates the protocol revision ({@link Negotiation}).
   *
   * @param probe whether to try 2026-07-28 first (the shard remembers what each upstream spoke)
   */
  Future<UpstreamSession> initialize(long timeoutMs, boolean probe) {
    return transport.start(this)
        .compose(v -> new Negotiation(this, transport, pool).run(timeoutMs, probe))
        .map(negotiated -> {
          description = negotiated;
          return this;
        })
        .recover(err -> close().transform(x -> Future.failedFuture(err)));
  }

  /**
   * Whether requests go the 2026-07-28 way: the client data in every request's {@code _meta}, and
   * no notifications (a closed stream is the cancel). Set by {@link Negotiation}.
   */
  void statelessWire(boolean on) {
    stateless = on;
  }

  /** Whether requests go the 2026-07-28 way (the upstream speaks it). */
  boolean statelessWire() {
    return stateless;
  }

  /**
   * Sends a request. The future always succeeds, with the upstream's response (a result or its
   * error) or the gateway's error naming the upstream, and how the request ended; the message's
   * id is the upstream id, for the caller to replace.
   */
  Future<Reply> call(String method, JsonObject params, Call call, long timeoutMs) {
    assert Thread.currentThread() == owner : "not on the owner thread";
    long id = nextId++;
    if (closed) {
      // a session the gateway (or its client) closed is not the upstream's fault; one that died
      // on its own was reported when it died
      return Future.succeededFuture(failure(id, failure == null ? Outcome.CANCELLED : failure, "session closed"));
    }
    JsonObject p = params;
    if (p != null && JsonRpc.progressToken(p) != null) {
      // The client chose its token; tokens must be unique per upstream session, so use our id.
      p = JsonRpc.shallowCopy(p);
      p.put("_meta", JsonRpc.shallowCopy(p.getJsonObject("_meta")).put("progressToken", id));
    }
    if (stateless) {
      // 2026-07-28 basic, "_meta": what initialize used to carry travels with every request
      p = p == null ? new JsonObject() : JsonRpc.shallowCopy(p);
      JsonObject given = p.getJsonObject("_meta");
      JsonObject meta = given == null ? new JsonObject() : JsonRpc.shallowCopy(given);
      p.put("_meta", meta.put(McpMeta.META_PROTOCOL_VERSION, ProtocolVersion.V2026_07_28)
          .put(McpMeta.META_CLIENT_INFO, pool.clientInfo));
      if (!meta.containsKey(McpMeta.META_CLIENT_CAPABILITIES)) {
        // a 2026-07-28 client's own capabilities go on as they are: the upstream asks only what it can answer
        meta.put(McpMeta.META_CLIENT_CAPABILITIES, pool.capabilities == null ? new JsonObject() : pool.capabilities);
      }
    }
    Promise<Reply> promise = Promise.promise();
    long start = System.nanoTime();
    promise.future().onSuccess(reply -> metrics.upstreamRequest(upstream(), method, reply.outcome().label(),
        System.nanoTime() - start));
    long deadline = start + timeoutMs * 1_000_000;
    pending.put(id, new Pending(promise, call, deadline, timeoutMs));
    deadlines.add(deadline);
    JsonObject request = JsonRpc.request(id, method, p);
    Future<Void> sent = stateless && call != null && call.paramHeaders != null
        ? transport.send(request, call.paramHeaders) : transport.send(request);
    sent.onFailure(err -> {
      Pending lost = pending.remove(id);
      if (lost != null) {
        lost.promise.complete(failure(id, Outcome.UNAVAILABLE, JunctionException.describe(err)));
      }
    });
    return promise.future();
  }

  private Reply failure(Object id, Outcome outcome, String detail) {
    return Reply.failure(id, upstream(), outcome, detail);
  }

  /** Times out the requests due at {@code now} (see {@link Deadlines}); returns the next deadline. */
  private long due(long now) {
    List<Long> expired = new ArrayList<>();
    long next = Long.MAX_VALUE;
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      long deadline = e.getValue().deadline;
      if (deadline <= now) {
        expired.add(e.getKey());
      } else {
        next = Math.min(next, deadline);
      }
    }
    for (Long id : expired) {
      Pending p = pending.remove(id);
      if (p != null) {
        abandon(id, "timeout");
        p.promise.complete(failure(id, Outcome.TIMEOUT, "no answer within " + p.timeoutMs + " ms"));
      }
    }
    return next;
  }

  /**
   * Stops the timeouts of a call's requests while an input-required round waits for its client
   * ({@link MrtrRounds}): {@code mrtr.holdTimeout} bounds that wait, not the upstream's requestTimeout.
   */
  void pause(Call call) {
    pending.replaceAll((id, p) -> p.call != call || p.paused() ? p
        : new Pending(p.promise, p.call, Long.MAX_VALUE, p.timeoutMs));
  }

  /** Runs the paused timeouts of a call's requests again, each in full: its client has answered. */
  void resume(Call call) {
    long now = System.nanoTime();
    pending.replaceAll((id, p) -> p.call != call || !p.paused() ? p
        : new Pending(p.promise, p.call, now + p.timeoutMs * 1_000_000, p.timeoutMs));
    pending.values().forEach(p -> deadlines.add(p.deadline));
  }

  /** Cancels every request of a downstream call (its client went away or sent a cancel). */
  void cancel(Call call, String reason) {
    List<Long> ids = new ArrayList<>();
    pending.forEach((id, p) -> {
      if (p.call == call) {
        ids.add(id);
      }
    });
    for (Long id : ids) {
      Pending p = pending.remove(id);
      abandon(id, reason);
      p.promise.complete(failure(id, Outcome.CANCELLED, "cancelled"));
    }
  }

  private void abandon(long id, String reason) {
    transport.abandon(id);
    // 2026-07-28 has no notifications/cancelled over HTTP: closing the stream was the cancel
    if (!closed && !stateless) {
      // basic/utilities/cancellation
      JsonObject params = new JsonObject().put("requestId", id);
      if (reason != null) {
        params.put("reason", reason);
      }
      notify("notifications/cancelled", params);
    }
  }

  /** Sends a notification (2026-07-28 upstreams take none from clients over HTTP). */
  void notify(String method, JsonObject params) {
    if (!closed && !stateless) {
      transport.send(JsonRpc.notification(method, params))
          .onFailure(err -> LOG.debug("upstream {}: notification {} not sent", upstream(), method));
    }
  }

  /** Answers a server-to-client request with the client's response, restoring the upstream's id. */
  void respond(Object upstreamId, JsonObject response) {
    JsonObject out = JsonRpc.shallowCopy(response).put("id", upstreamId);
    if (!closed) {
      transport.send(out).onFailure(err -> LOG.debug("upstream {}: response not sent", upstream()));
    }
  }

  /** The newest in-flight downstream call of this session, or null. */
  Call latestCall() {
    long best = -1;
    Call found = null;
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      if (e.getValue().call != null && e.getKey() > best) {
        best = e.getKey();
        found = e.getValue().call;
      }
    }
    return found;
  }

  /** The in-flight call of {@code scope} with this downstream id, or null. */
  Call latestCallFor(Scope scope, Object downstreamId) {
    for (Pending p : pending.values()) {
      if (p.call != null && p.call.scope == scope && JsonRpc.sameId(p.call.downstreamId, downstreamId)) {
        return p.call;
      }
    }
    return null;
  }

  /** Cancels the calls streaming to a downstream exchange that went away. */
  void cancelExchange(String exchange, String reason) {
    List<Call> calls = new ArrayList<>();
    for (Pending p : pending.values()) {
      // a round's call streams to the retry that resumed it (MrtrRounds)
      if (p.call != null && exchange.equals(p.call.current().exchange) && !calls.contains(p.call)) {
        calls.add(p.call);
      }
    }
    calls.forEach(c -> cancel(c, reason));
  }

  @Override
  public void onMessage(JsonObject message, Object relatedId) {
    assert Thread.currentThread() == owner : "not on the owner thread";
    Object id = message.getValue("id");
    String method = message.getString("method");
    if (method == null) {
      Pending p = id instanceof Number n ? pending.remove(n.longValue()) : null;
      if (p == null) {
        LOG.debug("upstream {}: response to an unknown or finished request", upstream());
        return;
      }
      p.promise.complete(Reply.of(message));
      return;
    }
    Call related = relatedId instanceof Number n && pending.containsKey(n.longValue())
        ? pending.get(n.longValue()).call : null;
    if (id != null) {
      if ("ping".equals(method)) {
        respond(id, JsonRpc.result(id, new JsonObject()));
        return;
      }
      events.onServerRequest(this, message, related);
      return;
    }
    if ("notifications/progress".equals(method)) {
      JsonObject params = JsonRpc.params(message);
      Object token = params.getValue("progressToken");
      Pending p = token instanceof Number n ? pending.get(n.longValue()) : null;
      // after an input-required round, progress belongs to the retry that waits now, with its token
      Call call = p == null || p.call == null ? null : p.call.current();
      if (call == null || call.progressToken == null) {
        return;
      }
      JsonObject restored = JsonRpc.shallowCopy(params).put("progressToken", call.progressToken);
      events.onNotification(this, JsonRpc.notification(method, restored), call);
      return;
    }
    events.onNotification(this, message, related);
  }

  @Override
  public void onFailure(Object id, Outcome outcome, String detail) {
    finish(id, failure(id, outcome, detail));
  }

  @Override
  public void onUnauthorized(Object id, String challenge) {
    Reply refused = failure(id, Outcome.UNAUTHORIZED, "the upstream refused the gateway's credentials (HTTP 401)");
    finish(id, new Reply(refused.message(), refused.outcome(), challenge));
  }

  /** Ends a pending request the transport could not get an answer for. */
  private void finish(Object id, Reply reply) {
    assert Thread.currentThread() == owner : "not on the owner thread";
    Pending p = id instanceof Number n ? pending.remove(n.longValue()) : null;
    if (p != null) {
      p.promise.complete(reply);
    }
  }

  @Override
  public void onClosed(Outcome outcome, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    this.failure = outcome;
    failAll(outcome, reason);
    events.onClosed(this, reason);
  }

  private void failAll(Outcome outcome, String reason) {
    List<Map.Entry<Long, Pending>> all = new ArrayList<>(pending.entrySet());
    pending.clear();
    deadlines.stop();
    for (Map.Entry<Long, Pending> e : all) {
      e.getValue().promise.complete(failure(e.getKey(), outcome, reason));
    }
  }

  /**
   * Why the transport went away on its own (process exit, expired session), or null while it
   * lives or when the gateway closed it.
   */
  Outcome failure() {
    return failure;
  }

  /**
   * Closes the session and its transport. In-flight requests end as cancelled: whoever closes a
   * session (its client's DELETE, the pool's reaper) ends them, not the upstream.
   */
  Future<Void> close() {
    if (!closed) {
      closed = true;
      failAll(Outcome.CANCELLED, "session closed");
      events.onClosed(this, "closed");
    }
    return transport.close();
  }

  /** The upstream's own messages are wanted from now on (a listen stream): see {@link UpstreamTransport#listen}. */
  Future<Void> listen() {
    return transport.listen();
  }
}
