package dev.junction.pool;

import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.error.Outcome;
import dev.junction.metrics.JunctionMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transitions of one pool key ({@link KeyPool}): leases, waiters, session starts, checks,
 * releases, closes and draining. Each changes state and returns the {@link Completions} to run
 * after it; timers, finished starts and finished checks come back through {@link Transitions} as
 * transitions of their own. Part of {@link UpstreamPool}; owned by the shard context.
 */
final class KeyTransitions {
  /** Logged as the pool, as before the transitions had their own class. */
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamPool.class);

  private final Vertx vertx;
  private final JunctionMetrics metrics;
  private final UpstreamPool.Factory factory;
  private final Transitions transitions;
  private final PoolKeys keys;
  private final Bulkheads bulkheads;
  private final Circuits circuits;
  // Owned by the shard context.
  /**
   * Upstreams whose last probe session start failed: logged once per run of failures (probes of an
   * upstream run on one shard, so once per upstream). A client's session start that fails is
   * logged by the health verticle, which hears of it from every shard.
   */
  private final Set<String> probeStartsFailing = new HashSet<>();

  KeyTransitions(Vertx vertx, JunctionMetrics metrics, UpstreamPool.Factory factory, Transitions transitions,
      PoolKeys keys, Bulkheads bulkheads, Circuits circuits) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.factory = factory;
    this.transitions = transitions;
    this.keys = keys;
    this.bulkheads = bulkheads;
    this.circuits = circuits;
  }

  /** acquire: a session with room is leased; otherwise the call waits (bounded) and the pool grows. */
  Completions acquire(KeyPool pool, boolean probe, Promise<Lease> promise) {
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
    waiter.timer = vertx.setTimer(pool.limits.acquireTimeoutMs(), t -> transitions.run(() -> waitEnded(pool, waiter)));
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
      waiter.timer = vertx.setTimer(left, t -> transitions.run(() -> waitEnded(pool, waiter)));
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
      return Completions.of(() -> HealthChain.check(entry.session, pool.limits).onComplete(ar -> transitions.run(
          () -> checked(pool, entry, probe, promise, hit, ar.succeeded() && ar.result()))));
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
        transitions.run(() -> unclaimed(lease));
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
    long wait = pool.waiters.isEmpty() ? 0 : pool.startDelay();
    if (wait > 0) {
      // sessions of this key crashed in a row: the next start waits out its backoff
      if (pool.restartTimer < 0) {
        pool.restartTimer = vertx.setTimer(wait, t -> transitions.run(() -> restartDue(pool)));
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
    return Completions.of(() -> started(pool).onComplete(ar -> transitions.run(() -> startEnded(pool, ar, start))));
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
    if (pool.probe && probeStartsFailing.remove(upstream)) {
      LOG.info("upstream {}: probe sessions start again", upstream);
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
      after.and(circuits.startFailed(upstream, StartFailed.unreachable(cause), JunctionException.describe(cause)));
    }
    if (pool.probe && !refused && probeStartsFailing.add(upstream)) {
      LOG.warn("upstream {}: a probe session could not be started: {}", upstream, JunctionException.describe(cause));
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
  Completions released(Lease lease, Reply reply, boolean discard) {
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
  Completions sessionClosed(UpstreamSession session, String reason) {
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
  Completions drain(KeyPool pool) {
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
