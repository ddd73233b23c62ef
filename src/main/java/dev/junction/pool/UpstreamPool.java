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
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shard's upstream session pool: pool keys, their sessions and waiters, the tenants' in-flight
 * counts (bulkheads) and this shard's copy of every circuit. A state machine run only on the
 * shard's context, so it needs no locks: every action (acquire, release, a session created or
 * closed, a timer) runs to completion before the next.
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
  private final PoolKeys keys;
  private final Map<String, Integer> tenantInFlight = new HashMap<>();
  private final Circuits circuits;
  /** Upstreams whose last session start on this shard failed: logged once per run of failures. */
  private final Set<String> startsFailing = new HashSet<>();

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
   * Applies a health change published by the health verticle. When a circuit opens, the idle
   * sessions of that upstream go: they are likely dead, and after the reconnect a stale one would
   * fail its first call.
   */
  void health(HealthChange change) {
    boolean opened = change.open() && !circuits.open(change.upstream());
    circuits.apply(change);
    if (opened) {
      for (KeyPool pool : keys.of(change.upstream())) {
        if (!pool.probe) {
          for (KeyPool.Entry e : new ArrayList<>(pool.entries)) {
            if (e.inFlight == 0 && !e.checking) {
              remove(pool, e, "circuit open");
            }
          }
        }
      }
    }
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
    if (circuits.open(upstream)) {
      return Future.failedFuture(JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream,
          "circuit open"));
    }
    String bulkhead = scope.tenantKey + '|' + upstream;
    int busy = tenantInFlight.getOrDefault(bulkhead, 0);
    if (busy >= options.pool().maxInFlightPerTenant()) {
      return Future.failedFuture(JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream,
          "too many concurrent calls from this tenant (" + busy + ")"));
    }
    tenantInFlight.put(bulkhead, busy + 1);
    return keyPool(scope, options).compose(pool -> lease(pool, false)).onFailure(err -> releaseBulkhead(bulkhead));
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
              circuits.failed(upstream, false, JunctionException.describe(last));
            }
          });
    });
  }

  /**
   * New credentials for the scope's sessions with an upstream that refused them; the scope's key
   * with the old ones is forgotten, so the next lease makes a key with the new ones.
   */
  Future<Credentials> renew(Scope scope, String upstream, String challenge) {
    KeyPool used = scope.pools.get(upstream);
    return renewer.renew(scope, upstream, used == null ? null : used.credentials, challenge)
        .onSuccess(c -> forget(upstream, scope.tenantKey));
  }

  private void releaseBulkhead(String bulkhead) {
    tenantInFlight.computeIfPresent(bulkhead, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** The scope's pool key for an upstream (cached on the scope until the key is evicted or superseded). */
  private Future<KeyPool> keyPool(Scope scope, UpstreamOptions options) {
    KeyPool cached = scope.pools.get(options.name());
    if (cached != null && !cached.draining && keys.live(cached)) {
      cached.attached.add(scope);
      return Future.succeededFuture(cached);
    }
    return credentials.apply(scope, options.name()).map(creds -> {
      String version = scope.session() != null ? scope.protocolVersion : ProtocolVersion.LATEST_SESSION_BASED;
      JsonObject declared = new JsonObject().put("capabilities", scope.clientCapabilities).put("version", version);
      PoolKey key = new PoolKey(scope.tenantKey, options.name(), PoolKey.configHash(options, creds, declared),
          PoolKey.declaredHash(declared), revisions.perClient(options, scope) ? scope.session().id : null);
      KeyPool pool = keys.get(key, () -> new KeyPool(key, options, creds, scope.clientCapabilities, scope.clientInfo, version),
          this::drain);
      pool.attached.add(scope);
      scope.pools.put(options.name(), pool);
      return pool;
    });
  }

  private Future<Lease> lease(KeyPool pool, boolean probe) {
    pool.lastUsed = System.currentTimeMillis();
    Promise<Lease> promise = Promise.promise();
    KeyPool.Entry entry = pool.available();
    if (entry != null) {
      take(pool, entry, probe, promise, true);
      return promise.future();
    }
    if (pool.waiters.size() >= pool.limits.maxWaiters()) {
      return Future.failedFuture(JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, pool.upstream.name(),
          "session pool exhausted (" + pool.waiters.size() + " calls waiting)"));
    }
    KeyPool.Waiter waiter = new KeyPool.Waiter(promise, System.currentTimeMillis(), probe);
    waiter.timer = vertx.setTimer(pool.limits.acquireTimeoutMs(), t -> waited(pool, waiter));
    pool.waiters.add(waiter);
    grow(pool);
    return promise.future();
  }

  /**
   * A waiter's {@code acquireTimeout} ran out. While a session of its key is still being created
   * (or waits for its turn to start), it waits on, up to {@code acquireTimeout + createTimeout} in
   * all: the creation ends by then, and failing the call earlier only throws away a start that a
   * slow upstream (a process starting under load) was about to finish.
   */
  private void waited(KeyPool pool, KeyPool.Waiter waiter) {
    long limit = pool.limits.acquireTimeoutMs() + pool.limits.createTimeoutMs();
    long left = limit - (System.currentTimeMillis() - waiter.since());
    if (pool.creating > 0 && left > 0 && pool.waiters.contains(waiter)) {
      waiter.timer = vertx.setTimer(left, t -> waited(pool, waiter));
      return;
    }
    if (pool.waiters.remove(waiter)) {
      waiter.promise().tryFail(JunctionException.upstream(JunctionError.UPSTREAM_TIMEOUT, pool.upstream.name(),
          "no session within " + (System.currentTimeMillis() - waiter.since()) + " ms"));
    }
  }

  /** Hands a session to a call, checking it first when it has been idle for a while. */
  private void take(KeyPool pool, KeyPool.Entry entry, boolean probe, Promise<Lease> promise, boolean hit) {
    entry.inFlight++;
    entry.used = true;
    long idle = System.currentTimeMillis() - entry.lastUsed;
    if (entry.inFlight == 1 && idle > pool.limits.healthCheckIntervalMs()) {
      entry.checking = true;
      HealthChain.check(entry.session, pool.limits).onComplete(ar -> {
        entry.checking = false;
        if (ar.succeeded() && ar.result()) {
          entry.lastUsed = System.currentTimeMillis();
          completeLease(pool, entry, probe, promise, hit);
        } else {
          metrics.poolHealthCheckFailed(pool.upstream.name());
          entry.inFlight--;
          remove(pool, entry, "unhealthy");
          lease(pool, probe).onComplete(promise);
        }
        dispatch(pool);
      });
      return;
    }
    completeLease(pool, entry, probe, promise, hit);
  }

  private void completeLease(KeyPool pool, KeyPool.Entry entry, boolean probe, Promise<Lease> promise, boolean hit) {
    if (hit) {
      metrics.poolHit(pool.upstream.name());
    }
    metrics.inFlight(pool.upstream.name(), 1);
    if (!promise.tryComplete(new Lease(pool, entry, probe))) {
      // the waiter gave up in the meantime
      entry.inFlight--;
      metrics.inFlight(pool.upstream.name(), -1);
    }
  }

  /** Starts sessions while callers wait for more than the sessions being created can take. */
  private void grow(KeyPool pool) {
    // expired or dead idle sessions give their slots back before any counting
    for (KeyPool.Entry e : pool.reapable()) {
      remove(pool, e, e.session.closed() ? "closed" : "ttl");
    }
    long wait = pool.startDelay();
    if (wait > 0 && !pool.waiters.isEmpty()) {
      // sessions of this key crashed in a row: the next start waits out its backoff
      if (pool.restartTimer < 0) {
        pool.restartTimer = vertx.setTimer(wait, t -> {
          pool.restartTimer = -1;
          grow(pool);
        });
      }
      return;
    }
    while (!pool.draining && pool.entries.size() + pool.creating < pool.limits.maxSessions()
        && pool.waiters.size() > (long) pool.creating * pool.perSession()) {
      create(pool);
    }
  }

  private void create(KeyPool pool) {
    pool.creating++;
    String upstream = pool.upstream.name();
    metrics.poolMiss(upstream);
    long start = System.nanoTime();
    factory.apply(pool).onComplete(ar -> {
      pool.creating--;
      if (ar.succeeded()) {
        metrics.poolInitialized(upstream, System.nanoTime() - start);
        UpstreamSession session = ar.result();
        if (pool.draining || !keys.live(pool)) {
          session.close();
        } else {
          pool.entries.add(new KeyPool.Entry(session));
          metrics.sessions(upstream, 1);
        }
        if (!pool.probe) {
          circuits.succeeded(upstream);
        }
        if (startsFailing.remove(upstream)) {
          LOG.info("upstream {}: sessions start again", upstream);
        }
        dispatch(pool);
        grow(pool);
        return;
      }
      StartFailed failed = StartFailed.of(ar.cause());
      boolean refused = failed != null && failed.outcome == Outcome.UNAUTHORIZED;
      // refused credentials are renewed by the lease (see renewing); only that renewal's end counts
      if (!pool.probe && !refused) {
        circuits.failed(upstream, StartFailed.unreachable(ar.cause()), JunctionException.describe(ar.cause()));
      }
      if (!refused && startsFailing.add(upstream)) {
        LOG.warn("upstream {}: a session could not be started ({} waiting): {}", upstream, pool.waiters.size(),
            JunctionException.describe(ar.cause()));
      }
      if (!refused) {
        pool.startFailed();
      }
      if (pool.creating == 0 && pool.available() == null) {
        // nothing else will serve the waiters soon: tell them now rather than at their timeout
        List<KeyPool.Waiter> waiting = new ArrayList<>(pool.waiters);
        pool.waiters.clear();
        boolean timedOut = StartFailed.timedOut(ar.cause());
        for (KeyPool.Waiter w : waiting) {
          vertx.cancelTimer(w.timer());
          w.promise().tryFail(ar.cause() instanceof JunctionException je ? je
              : JunctionException.upstream(timedOut ? JunctionError.UPSTREAM_TIMEOUT : JunctionError.UPSTREAM_UNAVAILABLE,
                  upstream, JunctionException.describe(ar.cause()), ar.cause()));
        }
      }
    });
  }

  /** Serves waiting calls from sessions with room. */
  private void dispatch(KeyPool pool) {
    while (!pool.waiters.isEmpty()) {
      KeyPool.Entry entry = pool.available();
      if (entry == null) {
        return;
      }
      KeyPool.Waiter w = pool.waiters.poll();
      vertx.cancelTimer(w.timer());
      metrics.poolAcquireWait(pool.upstream.name(), System.currentTimeMillis() - w.since());
      take(pool, entry, w.probe(), w.promise(), false);
    }
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
    KeyPool pool = lease.pool();
    KeyPool.Entry entry = lease.entry();
    String upstream = pool.upstream.name();
    entry.inFlight--;
    entry.lastUsed = System.currentTimeMillis();
    pool.lastUsed = entry.lastUsed;
    metrics.inFlight(upstream, -1);
    if (!lease.probe()) {
      releaseBulkhead(pool.key.tenant() + '|' + upstream);
      Outcome outcome = reply.outcome();
      if (outcome.fault()) {
        circuits.failed(upstream, outcome == Outcome.DISCONNECTED, reply.detail());
      } else if (outcome.answered()) {
        circuits.succeeded(upstream);
        pool.crashes = 0;
      }
    }
    if (entry.inFlight == 0 && (discard || pool.draining || entry.session.closed()
        || pool.expired(entry, System.currentTimeMillis()))) {
      remove(pool, entry, discard ? "unhealthy" : pool.draining ? "drained" : "ttl");
    }
    dispatch(pool);
    grow(pool);
  }

  private void remove(KeyPool pool, KeyPool.Entry entry, String reason) {
    keys.remove(pool, entry, reason);
  }

  /**
   * A session died on its own (process exit, expired upstream session): forget it. A crash (the
   * process or connection gone) pushes the key's next start back (see {@link #backOff}).
   */
  void closed(UpstreamSession session, String reason) {
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
    // a session that dies while starting is counted by create()
    if (pooled && session.failure() == Outcome.DISCONNECTED) {
      if (!pool.probe) {
        circuits.failed(pool.upstream.name(), true, reason);
      }
      pool.startFailed();
    }
    grow(pool);
  }

  /** A newer key took this key's slot (a new credential): no new calls; sessions close once idle. */
  private void drain(KeyPool pool) {
    pool.draining = true;
    for (KeyPool.Entry e : new ArrayList<>(pool.entries)) {
      if (e.inFlight == 0) {
        remove(pool, e, "drained");
      }
    }
  }

  /** An upstream's credentials changed, for every tenant (null) or one: see {@link PoolKeys#forget}. */
  void forget(String upstream, String tenant) {
    keys.forget(upstream, tenant);
  }

  /** A scope went away: see {@link PoolKeys#detach}. */
  Future<Void> detach(Scope scope) {
    return keys.detach(scope);
  }

  /** Reaps idle and expired sessions and evicts idle keys: see {@link PoolKeys#sweep}. */
  void sweep() {
    keys.sweep();
  }

  /** Closes every session (shutdown). */
  Future<Void> closeAll() {
    return keys.closeAll();
  }

  /** The admin view: keys hashed, never the tenant key or credentials. */
  JsonArray snapshot() {
    return PoolView.of(keys.all());
  }
}
