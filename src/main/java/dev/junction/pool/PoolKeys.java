package dev.junction.pool;

import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.metrics.JunctionMetrics;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A shard's pool keys and their lifecycle: the keys by id, the newest key of each slot (tenant,
 * upstream, declared client data; a new credential gives a new key in the same slot, which
 * supersedes the old one), and the reaping, eviction and closing of keys and their sessions.
 * Owned by the shard context; its changes are parts of {@link UpstreamPool}'s transitions and
 * return what to run afterwards (sessions to close, waiters to fail).
 */
final class PoolKeys {
  /** At most this many keys are evicted per run, so a burst of expiries cannot stall a shard. */
  static final int MAX_EVICTIONS_PER_RUN = 2_000;
  /** Sessions one sweep closes at most (each HTTP one sends a DELETE). */
  static final int MAX_CLOSES_PER_RUN = 1_000;
  private static final String OFF_CONTEXT = "pool keys touched off their shard context";

  private final Vertx vertx;
  private final JunctionMetrics metrics;
  private final Owner owner = new Owner();
  private final Map<String, KeyPool> keys = new HashMap<>();
  private final Map<String, KeyPool> newest = new HashMap<>();

  PoolKeys(Vertx vertx, JunctionMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
  }

  /** True while the pool is the live one for its key (not evicted, not replaced). */
  boolean live(KeyPool pool) {
    assert owner.current() : OFF_CONTEXT;
    return keys.get(pool.key.id()) == pool;
  }

  /**
   * The pool of a key, created when new. A new key takes its slot; the pool it superseded is
   * handed to {@code superseded} (to be drained).
   */
  KeyPool get(PoolKey key, Supplier<KeyPool> create, Consumer<KeyPool> superseded) {
    assert owner.current() : OFF_CONTEXT;
    KeyPool pool = keys.get(key.id());
    if (pool == null) {
      pool = create.get();
      keys.put(key.id(), pool);
      KeyPool previous = newest.put(key.slot(), pool);
      if (previous != null && previous != pool) {
        superseded.accept(previous);
      }
    }
    return pool;
  }

  /** The live pools of one upstream (a copy). */
  List<KeyPool> of(String upstream) {
    assert owner.current() : OFF_CONTEXT;
    return keys.values().stream().filter(p -> p.upstream.name().equals(upstream)).toList();
  }

  /** Every live pool (a copy). */
  List<KeyPool> all() {
    assert owner.current() : OFF_CONTEXT;
    return new ArrayList<>(keys.values());
  }

  /** Takes a session out of its pool, counting why; it is closed afterwards. */
  Completions remove(KeyPool pool, KeyPool.Entry entry, String reason) {
    assert owner.current() : OFF_CONTEXT;
    if (!pool.entries.remove(entry)) {
      return Completions.none();
    }
    metrics.sessions(pool.upstream.name(), -1);
    metrics.sessionReaped(pool.upstream.name(), reason);
    return Completions.none().close(entry.session);
  }

  /**
   * The upstream's credentials changed (for every tenant, or for one): scopes forget their cached
   * keys for it, so their next call computes a new key, whose pool supersedes (and drains) the old one.
   */
  void forget(String upstream, String tenant) {
    assert owner.current() : OFF_CONTEXT;
    for (KeyPool pool : of(upstream)) {
      if (tenant != null && !tenant.equals(pool.key.tenant())) {
        continue;
      }
      for (Scope scope : pool.attached) {
        scope.pools.remove(upstream, pool);
      }
    }
  }

  /**
   * A reload removed or changed the upstream: each of its keys leaves the shard's keys (so a key
   * with the same id is made afresh, with the new options) and scopes forget it, then
   * {@code drain} drains it: idle sessions close now, leased ones once their call has ended.
   */
  Completions retire(String upstream, Function<KeyPool, Completions> drain) {
    assert owner.current() : OFF_CONTEXT;
    Completions after = Completions.none();
    for (KeyPool pool : of(upstream)) {
      unregister(pool);
      for (Scope scope : pool.attached) {
        scope.pools.remove(upstream, pool);
      }
      vertx.cancelTimer(pool.restartTimer);
      for (KeyPool.Waiter w : pool.waiters) {
        vertx.cancelTimer(w.timer());
        after.fail(w.promise(), new KeyRetired());
      }
      pool.waiters.clear();
      after.and(drain.apply(pool));
    }
    return after;
  }

  /** A scope went away: it no longer hears its keys; keys that were its alone close. */
  Completions detach(Scope scope) {
    assert owner.current() : OFF_CONTEXT;
    Completions after = Completions.none();
    for (KeyPool pool : scope.pools.values()) {
      pool.attached.remove(scope);
      if (pool.key.client() != null && unregister(pool)) {
        after.and(close(pool, "client ended"));
      }
    }
    scope.pools.clear();
    return after;
  }

  /**
   * Reaps idle and expired sessions, at most {@link #MAX_CLOSES_PER_RUN} a run, and evicts keys
   * that have been empty and unused for the idle timeout, at most
   * {@link #MAX_EVICTIONS_PER_RUN} keys a run.
   */
  Completions sweep() {
    assert owner.current() : OFF_CONTEXT;
    Completions after = Completions.none();
    long now = System.currentTimeMillis();
    int evicted = 0;
    int closed = 0;
    for (KeyPool pool : all()) {
      for (KeyPool.Entry e : new ArrayList<>(pool.entries)) {
        // closing a session sends a DELETE: a burst of reaped sessions is spread over runs
        if (e.inFlight == 0 && !e.checking && closed < MAX_CLOSES_PER_RUN) {
          String reason = now - e.lastUsed >= pool.limits.idleTimeoutMs() ? "idle"
              : pool.expired(e, now) ? "ttl" : null;
          if (reason != null) {
            after.and(remove(pool, e, reason));
            closed++;
          }
        }
      }
      if (evicted < MAX_EVICTIONS_PER_RUN && pool.idle()
          && (pool.draining || now - pool.lastUsed >= pool.limits.idleTimeoutMs())) {
        unregister(pool);
        for (Scope scope : pool.attached) {
          scope.pools.remove(pool.upstream.name(), pool);
        }
        pool.attached.clear();
        metrics.poolKeyEvicted();
        evicted++;
      }
    }
    return after;
  }

  /** Closes every session (shutdown). */
  Completions closeAll() {
    assert owner.current() : OFF_CONTEXT;
    Completions after = Completions.none();
    for (KeyPool pool : all()) {
      after.and(close(pool, "shutdown"));
    }
    keys.clear();
    newest.clear();
    return after;
  }

  private boolean unregister(KeyPool pool) {
    if (!keys.remove(pool.key.id(), pool)) {
      return false;
    }
    newest.remove(pool.key.slot(), pool);
    return true;
  }

  /** Closes a key's sessions and fails its waiters (the key is gone). */
  private Completions close(KeyPool pool, String reason) {
    Completions after = Completions.none();
    for (KeyPool.Entry e : new ArrayList<>(pool.entries)) {
      after.and(remove(pool, e, reason));
    }
    vertx.cancelTimer(pool.restartTimer);
    for (KeyPool.Waiter w : pool.waiters) {
      vertx.cancelTimer(w.timer());
      after.fail(w.promise(), JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, pool.upstream.name(),
          reason));
    }
    pool.waiters.clear();
    return after;
  }
}
