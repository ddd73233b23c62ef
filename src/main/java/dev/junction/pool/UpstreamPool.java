package dev.junction.pool;

import dev.junction.bus.Credentials;
import dev.junction.bus.HealthChange;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.error.Outcome;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.metrics.JunctionMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shard's upstream session pool: pool keys, their sessions and waiters, the tenants' in-flight
 * counts (bulkheads) and this shard's copy of every circuit. A state machine run only on the
 * shard's context, so it needs no locks. Each transition is a method that changes state and
 * returns the {@link Completions} to run once it has finished; {@link #run} runs one transition,
 * then its completions, and refuses to start a transition inside another. So no caller's code
 * runs in the middle of a transition: a waiter's callback, a session's close event or a finished
 * start comes back as a transition of its own. The states and transitions are described in the
 * package's {@code package-info}.
 */
final class UpstreamPool {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamPool.class);

  /** Creates and initializes a session for a key (the shard knows transports and credentials). */
  interface Factory extends Function<KeyPool, Future<UpstreamSession>> {
  }

  /** Renews the credentials {@code used} for a scope's sessions with an upstream after it refused them (401). */
  interface Renewer {
    Future<Credentials> renew(Scope scope, String upstream, Credentials used, String challenge);
  }

  private final Vertx vertx;
  private final JunctionConfig config;
  private final JunctionMetrics metrics;
  private final Factory factory;
  private final BiFunction<Scope, String, Future<Credentials>> credentials;
  private final Renewer renewer;
  private final UpstreamRevisions revisions;

  // Owned by the shard context.
  private final Owner owner = new Owner();
  private final PoolKeys keys;
  private final Bulkheads bulkheads = new Bulkheads();
  private final Circuits circuits;
  /** Upstreams whose last session start on this shard failed: logged once per run of failures. */
  private final Set<String> startsFailing = new HashSet<>();
  /** True while a transition runs (not while its completions run). */
  private boolean transitioning;

  /**
   * @param credentials (scope, upstream) to the credentials for a session, cached by the shard
   * @param renewer renews credentials an upstream refused
   * @param revisions what the shard learned each upstream speaks (it decides {@code auto} sharing)
   */
  UpstreamPool(Vertx vertx, JunctionConfig config, JunctionMetrics metrics, Factory factory,
      BiFunction<Scope, String, Future<Credentials>> credentials, Renewer renewer, UpstreamRevisions revisions) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    this.factory = factory;
    this.credentials = credentials;
    this.renewer = renewer;
    this.revisions = revisions;
    this.circuits = new Circuits(vertx);
    this.keys = new PoolKeys(vertx, metrics);
  }

  /**
   * Runs one transition to its end, then what it left to complete. A completion may start the
   * next transition (a caller that got its lease releases it at once); a transition never starts
   * inside another.
   */
  private Completions run(Supplier<Completions> transition) {
    assert owner.current() : "the pool touched off its shard context";
    if (transitioning) {
      throw new IllegalStateException("a pool transition started inside another");
    }
    transitioning = true;
    Completions after;
    try {
      after = transition.get();
    } finally {
      transitioning = false;
    }
    after.run();
    return after;
  }

  // ---- the API the shard, relay, lists and probes use: each call is one transition

  /**
   * Applies a health change published by the health verticle. When a circuit opens, the idle
   * sessions of that upstream go: they are likely dead, and after the reconnect a stale one would
   * fail its first call.
   */
  void health(HealthChange change) {
    run(() -> circuitChanged(change));
  }

  /** The upstream that takes this upstream's traffic now: itself, or a failover member. */
  String serving(String upstream) {
    return circuits.serving(upstream);
  }

  /**
   * A lease on a session of the scope's pool key for this upstream. Fails with a
   * {@link JunctionException} naming the upstream when its circuit is open, the tenant's bulkhead
   * is full, or no session can be had in time.
   */
  Future<Lease> acquire(Scope scope, String upstream) {
    return renewing(scope, upstream, false, () -> acquireOnce(scope, upstream));
  }

  private Future<Lease> acquireOnce(Scope scope, String upstream) {
    UpstreamOptions options = config.upstreams().get(upstream);
    Promise<Void> admitted = Promise.promise();
    run(() -> admit(scope.tenantKey, options, admitted));
    return admitted.future().compose(v -> keyPool(scope, options)
        .compose(pool -> lease(pool, false))
        .onFailure(err -> run(() -> bulkheadLeft(scope.tenantKey, upstream))));
  }

  /**
   * A health probe's lease: past the circuit (probes are how an open circuit closes) and the
   * bulkhead, on the probe scope's own key.
   */
  Future<Lease> acquireForProbe(Scope scope, String upstream) {
    return renewing(scope, upstream, true,
        () -> keyPool(scope, config.upstreams().get(upstream)).compose(pool -> lease(pool, true)));
  }

  /**
   * Leases a session; when the upstream refused the credentials while the session started (401,
   * which may name where its authorization server is), they are renewed (or discovered) once and
   * the lease is tried once more with the new ones. Every way to an upstream leases through here:
   * calls, lists, a client's initialize, health probes. The refusal is not a health failure; a
   * renewal that fails, or a second refusal, is.
   */
  private Future<Lease> renewing(Scope scope, String upstream, boolean probe, Supplier<Future<Lease>> lease) {
    return lease.get().recover(err -> {
      StartFailed refused = StartFailed.of(err);
      if (refused == null || refused.outcome != Outcome.UNAUTHORIZED) {
        return Future.failedFuture(err);
      }
      return renew(scope, upstream, refused.challenge)
          .transform(renewed -> renewed.succeeded() ? lease.get() : Future.failedFuture(
              JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream, "the upstream refused the"
                  + " gateway's credentials and they could not be renewed: "
                  + JunctionException.describe(renewed.cause()), renewed.cause())))
          .onFailure(last -> {
            if (!probe) {
              run(() -> renewalFailed(upstream, last));
            }
          });
    });
  }

  /**
   * New credentials for the scope's sessions with an upstream that refused them; the scope's key
   * with the old ones is forgotten, so the next lease makes a key with the new ones.
   */
  Future<Credentials> renew(Scope scope, String upstream, String challenge) {
    assert owner.current() : "the pool touched off its shard context";
    KeyPool used = scope.pools.get(upstream);
    return renewer.renew(scope, upstream, used == null ? null : used.credentials, challenge)
        .onSuccess(c -> forget(upstream, scope.tenantKey));
  }

  /** The scope's pool key for an upstream (cached on the scope until the key is evicted or superseded). */
  private Future<KeyPool> keyPool(Scope scope, UpstreamOptions options) {
    Promise<KeyPool> cached = Promise.promise();
    run(() -> attachCached(scope, options.name(), cached));
    return cached.future().compose(pool -> pool != null ? Future.succeededFuture(pool)
        : credentials.apply(scope, options.name()).compose(creds -> {
          Promise<KeyPool> found = Promise.promise();
          run(() -> attach(scope, options, creds, found));
          return found.future();
        }));
  }

  private Future<Lease> lease(KeyPool pool, boolean probe) {
    Promise<Lease> promise = Promise.promise();
    run(() -> acquire(pool, probe, promise));
    return promise.future();
  }

  /**
   * Ends a lease with how its call ended. Faults (unavailable, disconnected, timeout) count
   * against the upstream's health; an upstream's JSON-RPC error does not. A health probe's
   * outcome is the probe's answer, so it is not reported here.
   */
  void release(Lease lease, Reply reply) {
    release(lease, reply, false);
  }

  /** Ends a lease; {@code discard} closes its session once idle (a probe that failed on it). */
  void release(Lease lease, Reply reply, boolean discard) {
    run(() -> released(lease, reply, discard));
  }

  /**
   * A session died on its own (process exit, expired upstream session), or was closed: forget it.
   * A crash (the process or connection gone) pushes the key's next start back.
   */
  void closed(UpstreamSession session, String reason) {
    run(() -> sessionClosed(session, reason));
  }

  /** An upstream's credentials changed, for every tenant (null) or one: see {@link PoolKeys#forget}. */
  void forget(String upstream, String tenant) {
    run(() -> {
      keys.forget(upstream, tenant);
      return Completions.none();
    });
  }

  /** A scope went away: see {@link PoolKeys#detach}; completes when the sessions it closes are closed. */
  Future<Void> detach(Scope scope) {
    return run(() -> keys.detach(scope)).closed();
  }

  /** Reaps idle and expired sessions and evicts idle keys: see {@link PoolKeys#sweep}. */
  void sweep() {
    run(keys::sweep);
  }

  /** Closes every session (shutdown). */
  Future<Void> closeAll() {
    return run(keys::closeAll).closed();
  }

  /** The admin view: keys hashed, never the tenant key or credentials. */
  JsonArray snapshot() {
    assert owner.current() : "the pool touched off its shard context";
    return PoolView.of(keys.all());
  }

  // ---- transitions: each changes state and returns what to run after it; none calls out

  /** A circuit changed; when it opened, the upstream's idle sessions go. */
  private Completions circuitChanged(HealthChange change) {
    boolean opened = change.open() && !circuits.open(change.upstream());
    circuits.apply(change);
    Completions after = Completions.none();
    if (opened) {
      for (KeyPool pool : keys.of(change.upstream())) {
        if (!pool.probe) {
          for (KeyPool.Entry e : new ArrayList<>(pool.entries)) {
            if (e.inFlight == 0 && !e.checking) {
              after.and(keys.remove(pool, e, "circuit open"));
            }
          }
        }
      }
    }
    return after;
  }

  /** A call asks to go upstream: refused while the circuit is open or the tenant's bulkhead is full. */
  private Completions admit(String tenant, UpstreamOptions options, Promise<Void> admitted) {
    String upstream = options.name();
    if (circuits.open(upstream)) {
      return Completions.failing(admitted, JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream,
          "circuit open"));
    }
    int busy = bulkheads.enter(tenant, upstream, options.pool().maxInFlightPerTenant());
    if (busy >= 0) {
      return Completions.failing(admitted, JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream,
          "too many concurrent calls from this tenant (" + busy + ")"));
    }
    return Completions.none().succeed(admitted, null);
  }

  /** An admitted call got no lease: its bulkhead place goes back. */
  private Completions bulkheadLeft(String tenant, String upstream) {
    bulkheads.leave(tenant, upstream);
    return Completions.none();
  }

  /** A renewal of refused credentials failed, or they were refused again: a health failure. */
  private Completions renewalFailed(String upstream, Throwable last) {
    return circuits.failed(upstream, false, JunctionException.describe(last));
  }

  /** The scope's cached key for the upstream, if it is still live and not draining; else null. */
  private Completions attachCached(Scope scope, String upstream, Promise<KeyPool> found) {
    KeyPool cached = scope.pools.get(upstream);
    if (cached != null && !cached.draining && keys.live(cached)) {
      cached.attached.add(scope);
      return Completions.none().succeed(found, cached);
    }
    return Completions.none().succeed(found, null);
  }

  /** The scope's key with these credentials, made when new; a new key drains the one it supersedes. */
  private Completions attach(Scope scope, UpstreamOptions options, Credentials creds, Promise<KeyPool> found) {
    String version = scope.session() != null ? scope.protocolVersion : ProtocolVersion.LATEST_SESSION_BASED;
    JsonObject declared = new JsonObject().put("capabilities", scope.clientCapabilities).put("version", version);
    PoolKey key = new PoolKey(scope.tenantKey, options.name(), PoolKey.configHash(options, creds, declared),
        PoolKey.declaredHash(declared), revisions.perClient(options, scope) ? scope.session().id : null);
    List<KeyPool> superseded = new ArrayList<>(1);
    KeyPool pool = keys.get(key,
        () -> new KeyPool(key, options, creds, scope.clientCapabilities, scope.clientInfo, version), superseded::add);
    pool.attached.add(scope);
    scope.pools.put(options.name(), pool);
    Completions after = Completions.none();
    superseded.forEach(old -> after.and(drain(old)));
    return after.succeed(found, pool);
  }

  /** acquire: a session with room is leased; otherwise the call waits (bounded) and the pool grows. */
  private Completions acquire(KeyPool pool, boolean probe, Promise<Lease> promise) {
    pool.lastUsed = System.currentTimeMillis();
    KeyPool.Entry entry = pool.available();
    if (entry != null) {
      return take(pool, entry, probe, promise, true);
    }
    if (pool.waiters.size() >= pool.limits.maxWaiters()) {
      return Completions.failing(promise, JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE,
          pool.upstream.name(), "session pool exhausted (" + pool.waiters.size() + " calls waiting)"));
    }
    KeyPool.Waiter waiter = new KeyPool.Waiter(promise, System.currentTimeMillis(), probe);
    waiter.timer = vertx.setTimer(pool.limits.acquireTimeoutMs(), t -> run(() -> waitEnded(pool, waiter)));
    pool.waiters.add(waiter);
    return grow(pool);
  }

  /**
   * A waiter's {@code acquireTimeout} ran out. While a session of its key is still being created
   * (or waits for its turn to start), it waits on, up to {@code acquireTimeout + createTimeout} in
   * all: the creation ends by then, and failing the call earlier only throws away a start that a
   * slow upstream (a process starting under load) was about to finish.
   */
  private Completions waitEnded(KeyPool pool, KeyPool.Waiter waiter) {
    long limit = pool.limits.acquireTimeoutMs() + pool.limits.createTimeoutMs();
    long left = limit - (System.currentTimeMillis() - waiter.since());
    if (pool.creating > 0 && left > 0 && pool.waiters.contains(waiter)) {
      waiter.timer = vertx.setTimer(left, t -> run(() -> waitEnded(pool, waiter)));
      return Completions.none();
    }
    if (pool.waiters.remove(waiter)) {
      return Completions.failing(waiter.promise(), JunctionException.upstream(JunctionError.UPSTREAM_TIMEOUT,
          pool.upstream.name(), "no session within " + (System.currentTimeMillis() - waiter.since()) + " ms"));
    }
    return Completions.none();
  }

  /** Hands a session to a call, checking it first when it has been idle for a while. */
  private Completions take(KeyPool pool, KeyPool.Entry entry, boolean probe, Promise<Lease> promise, boolean hit) {
    entry.inFlight++;
    entry.used = true;
    long idle = System.currentTimeMillis() - entry.lastUsed;
    if (entry.inFlight == 1 && idle > pool.limits.healthCheckIntervalMs()) {
      entry.checking = true;
      return Completions.of(() -> HealthChain.check(entry.session, pool.limits)
          .onComplete(ar -> run(() -> checked(pool, entry, probe, promise, hit, ar.succeeded() && ar.result()))));
    }
    return leased(pool, entry, probe, promise, hit);
  }

  /** An idle session's check ended: it is leased, or it goes and the call is served afresh. */
  private Completions checked(KeyPool pool, KeyPool.Entry entry, boolean probe, Promise<Lease> promise, boolean hit,
      boolean healthy) {
    entry.checking = false;
    Completions after;
    if (healthy) {
      entry.lastUsed = System.currentTimeMillis();
      after = leased(pool, entry, probe, promise, hit);
    } else {
      metrics.poolHealthCheckFailed(pool.upstream.name());
      entry.inFlight--;
      after = keys.remove(pool, entry, "unhealthy").and(acquire(pool, probe, promise));
    }
    return after.and(dispatch(pool));
  }

  private Completions leased(KeyPool pool, KeyPool.Entry entry, boolean probe, Promise<Lease> promise, boolean hit) {
    if (hit) {
      metrics.poolHit(pool.upstream.name());
    }
    metrics.inFlight(pool.upstream.name(), 1);
    Lease lease = new Lease(pool, entry, probe);
    return Completions.of(() -> {
      if (!promise.tryComplete(lease)) {
        run(() -> unclaimed(lease));
      }
    });
  }

  /** A lease whose caller had given up in the meantime: it is given back without a call. */
  private Completions unclaimed(Lease lease) {
    lease.entry().inFlight--;
    metrics.inFlight(lease.pool().upstream.name(), -1);
    return Completions.none();
  }

  /** grow: starts sessions while callers wait for more than the sessions being created can take. */
  private Completions grow(KeyPool pool) {
    Completions after = Completions.none();
    // expired or dead idle sessions give their slots back before any counting
    for (KeyPool.Entry e : pool.reapable()) {
      after.and(keys.remove(pool, e, e.session.closed() ? "closed" : "ttl"));
    }
    long wait = pool.startDelay();
    if (wait > 0 && !pool.waiters.isEmpty()) {
      // sessions of this key crashed in a row: the next start waits out its backoff
      if (pool.restartTimer < 0) {
        pool.restartTimer = vertx.setTimer(wait, t -> run(() -> restartDue(pool)));
      }
      return after;
    }
    while (!pool.draining && pool.entries.size() + pool.creating < pool.limits.maxSessions()
        && pool.waiters.size() > (long) pool.creating * pool.perSession()) {
      after.and(create(pool));
    }
    return after;
  }

  /** The crash backoff ran out: sessions may start again. */
  private Completions restartDue(KeyPool pool) {
    pool.restartTimer = -1;
    return grow(pool);
  }

  /** A session start is counted now and begins afterwards; its end is {@link #created} or {@link #createFailed}. */
  private Completions create(KeyPool pool) {
    pool.creating++;
    metrics.poolMiss(pool.upstream.name());
    long start = System.nanoTime();
    return Completions.of(() -> started(pool).onComplete(ar -> run(() -> startEnded(pool, ar, start))));
  }

  private Future<UpstreamSession> started(KeyPool pool) {
    try {
      return factory.apply(pool);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Completions startEnded(KeyPool pool, AsyncResult<UpstreamSession> ar, long start) {
    return ar.succeeded() ? created(pool, ar.result(), start) : createFailed(pool, ar.cause());
  }

  /** created: the session joins its key (or closes, when the key is gone or draining) and serves waiters. */
  private Completions created(KeyPool pool, UpstreamSession session, long start) {
    pool.creating--;
    String upstream = pool.upstream.name();
    metrics.poolInitialized(upstream, System.nanoTime() - start);
    Completions after = Completions.none();
    if (pool.draining || !keys.live(pool)) {
      after.close(session);
    } else {
      pool.entries.add(new KeyPool.Entry(session));
      metrics.sessions(upstream, 1);
    }
    if (!pool.probe) {
      after.and(circuits.succeeded(upstream));
    }
    if (startsFailing.remove(upstream)) {
      LOG.info("upstream {}: sessions start again", upstream);
    }
    return after.and(dispatch(pool)).and(grow(pool));
  }

  /**
   * start failed: the key backs off, and when nothing else will serve its waiters soon they fail
   * at once rather than at their timeout. A start refused for its credentials (401) is renewed by
   * the lease (see {@link #renewing}); only that renewal's end counts for health.
   */
  private Completions createFailed(KeyPool pool, Throwable cause) {
    pool.creating--;
    String upstream = pool.upstream.name();
    StartFailed failed = StartFailed.of(cause);
    boolean refused = failed != null && failed.outcome == Outcome.UNAUTHORIZED;
    Completions after = Completions.none();
    if (!pool.probe && !refused) {
      after.and(circuits.failed(upstream, StartFailed.unreachable(cause), JunctionException.describe(cause)));
    }
    if (!refused && startsFailing.add(upstream)) {
      LOG.warn("upstream {}: a session could not be started ({} waiting): {}", upstream, pool.waiters.size(),
          JunctionException.describe(cause));
    }
    if (!refused) {
      pool.startFailed();
    }
    if (pool.creating == 0 && pool.available() == null) {
      JunctionException error = cause instanceof JunctionException je ? je
          : JunctionException.upstream(StartFailed.timedOut(cause) ? JunctionError.UPSTREAM_TIMEOUT
              : JunctionError.UPSTREAM_UNAVAILABLE, upstream, JunctionException.describe(cause), cause);
      for (KeyPool.Waiter w : pool.waiters) {
        vertx.cancelTimer(w.timer());
        after.fail(w.promise(), error);
      }
      pool.waiters.clear();
    }
    return after;
  }

  /** dispatch: serves waiting calls, oldest first, from sessions with room. */
  private Completions dispatch(KeyPool pool) {
    Completions after = Completions.none();
    while (!pool.waiters.isEmpty()) {
      KeyPool.Entry entry = pool.available();
      if (entry == null) {
        break;
      }
      KeyPool.Waiter w = pool.waiters.poll();
      vertx.cancelTimer(w.timer());
      metrics.poolAcquireWait(pool.upstream.name(), System.currentTimeMillis() - w.since());
      after.and(take(pool, entry, w.probe(), w.promise(), false));
    }
    return after;
  }

  /**
   * release: the call's outcome goes to the circuit copy (only faults count), and the session
   * serves waiters again, or goes when it expired, is closed, its key drains, or a probe found it
   * unhealthy.
   */
  private Completions released(Lease lease, Reply reply, boolean discard) {
    KeyPool pool = lease.pool();
    KeyPool.Entry entry = lease.entry();
    String upstream = pool.upstream.name();
    entry.inFlight--;
    entry.lastUsed = System.currentTimeMillis();
    pool.lastUsed = entry.lastUsed;
    metrics.inFlight(upstream, -1);
    Completions after = Completions.none();
    if (!lease.probe()) {
      bulkheads.leave(pool.key.tenant(), upstream);
      Outcome outcome = reply.outcome();
      if (outcome.fault()) {
        after.and(circuits.failed(upstream, outcome == Outcome.DISCONNECTED, reply.detail()));
      } else if (outcome.answered()) {
        after.and(circuits.succeeded(upstream));
        pool.crashes = 0;
      }
    }
    if (entry.inFlight == 0 && (discard || pool.draining || entry.session.closed()
        || pool.expired(entry, System.currentTimeMillis()))) {
      after.and(keys.remove(pool, entry, discard ? "unhealthy" : pool.draining ? "drained" : "ttl"));
    }
    return after.and(dispatch(pool)).and(grow(pool));
  }

  /** closed: the session leaves its key; a crash backs the key's next start off. */
  private Completions sessionClosed(UpstreamSession session, String reason) {
    KeyPool pool = session.pool;
    boolean pooled = false;
    for (KeyPool.Entry e : new ArrayList<>(pool.entries)) {
      if (e.session == session) {
        pool.entries.remove(e);
        metrics.sessions(pool.upstream.name(), -1);
        metrics.sessionReaped(pool.upstream.name(), "closed");
        pooled = true;
      }
    }
    // a session that dies while starting is counted by createFailed
    Completions after = Completions.none();
    if (pooled && session.failure() == Outcome.DISCONNECTED) {
      if (!pool.probe) {
        after.and(circuits.failed(pool.upstream.name(), true, reason));
      }
      pool.startFailed();
    }
    return after.and(grow(pool));
  }

  /** drain: a newer key took this key's slot (a new credential); no new calls, sessions close once idle. */
  private Completions drain(KeyPool pool) {
    pool.draining = true;
    Completions after = Completions.none();
    for (KeyPool.Entry e : new ArrayList<>(pool.entries)) {
      if (e.inFlight == 0) {
        after.and(keys.remove(pool, e, "drained"));
      }
    }
    return after;
  }
}
