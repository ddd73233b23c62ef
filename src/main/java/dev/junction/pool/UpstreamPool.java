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
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A shard's upstream session pool: pool keys, their sessions and waiters, the tenants' in-flight
 * counts (bulkheads) and this shard's copy of every circuit. A state machine run only on the
 * shard's context, so it needs no locks. Each transition is a method that changes state and
 * returns the {@link Completions} to run once it has finished; {@link Transitions} runs one
 * transition, then its completions, and refuses to start a transition inside another. So no
 * caller's code runs in the middle of a transition: a waiter's callback, a session's close event
 * or a finished start comes back as a transition of its own. This class holds the API and the
 * transitions of admission, keys and circuits; {@link KeyTransitions} those of one key's sessions.
 * The states and transitions are described in the package's {@code package-info}.
 */
final class UpstreamPool {
  /** How often a lease is tried again when reloads retire the keys it waits on. */
  static final int RETRIES_AFTER_RETIRE = 20;
  /** Creates and initializes a session for a key (the shard knows transports and credentials). */
  interface Factory extends Function<KeyPool, Future<UpstreamSession>> {
  }

  /** Renews the credentials {@code used} for a scope's sessions with an upstream after it refused them (401). */
  interface Renewer {
    Future<Credentials> renew(Scope scope, String upstream, Credentials used, String challenge);
  }

  // replaced by each new config version (configure), on the shard context
  private JunctionConfig config;
  private final BiFunction<Scope, String, Future<Credentials>> credentials;
  private final Renewer renewer;
  private final UpstreamRevisions revisions;

  // Owned by the shard context.
  private final Transitions transitions = new Transitions();
  private final PoolKeys keys;
  private final Bulkheads bulkheads = new Bulkheads();
  private final Circuits circuits;
  private final KeyTransitions keyTransitions;

  /**
   * @param credentials (scope, upstream) to the credentials for a session, cached by the shard
   * @param renewer renews credentials an upstream refused
   * @param revisions what the shard learned each upstream speaks (it decides {@code auto} sharing)
   */
  UpstreamPool(Vertx vertx, JunctionConfig config, JunctionMetrics metrics, Factory factory,
      BiFunction<Scope, String, Future<Credentials>> credentials, Renewer renewer, UpstreamRevisions revisions) {
    this.config = config;
    this.credentials = credentials;
    this.renewer = renewer;
    this.revisions = revisions;
    this.circuits = new Circuits(vertx);
    this.keys = new PoolKeys(vertx, metrics);
    this.keyTransitions = new KeyTransitions(vertx, metrics, factory, transitions, keys, bulkheads, circuits);
  }

  private Completions run(Supplier<Completions> transition) {
    return transitions.run(transition);
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
    if (options == null) {
      return Future.failedFuture(JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream,
          "removed from the config"));
    }
    // admitted with the scope's cached key, the lease is asked for in the same transition (every
    // call after the first of a scope); without one, the key is found or made first
    Promise<KeyPool> admitted = Promise.promise();
    Promise<Lease> leased = Promise.promise();
    run(() -> admit(scope, options, admitted, leased));
    return admitted.future().compose(cached -> (cached != null ? leased.future()
            : keyPool(scope, options).compose(pool -> lease(pool, false)))
        .recover(err -> err instanceof KeyRetired ? again(scope, upstream, false, 1) : Future.failedFuture(err))
        .onFailure(err -> run(() -> bulkheadLeft(scope.tenantKey, upstream))));
  }

  /**
   * A health probe's lease: past the circuit (probes are how an open circuit closes) and the
   * bulkhead, on the probe scope's own key.
   */
  Future<Lease> acquireForProbe(Scope scope, String upstream) {
    return renewing(scope, upstream, true,
        () -> keyPool(scope, config.upstreams().get(upstream)).compose(pool -> lease(pool, true))
            .recover(err -> err instanceof KeyRetired ? again(scope, upstream, true, 1) : Future.failedFuture(err)));
  }

  /**
   * A lease whose key a reload retired while it waited: again, on the upstream's new key (a storm
   * of reloads may retire that one too, so up to {@value #RETRIES_AFTER_RETIRE} times).
   */
  private Future<Lease> again(Scope scope, String upstream, boolean probe, int attempt) {
    UpstreamOptions options = config.upstreams().get(upstream);
    if (options == null || attempt > RETRIES_AFTER_RETIRE) {
      return Future.failedFuture(JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream,
          options == null ? "removed from the config" : "its config kept changing"));
    }
    return keyPool(scope, options).compose(pool -> lease(pool, probe)).recover(err -> err instanceof KeyRetired
        ? again(scope, upstream, probe, attempt + 1) : Future.failedFuture(err));
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
    assert transitions.onOwner() : "the pool touched off its shard context";
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
    run(() -> keyTransitions.acquire(pool, probe, promise));
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
    run(() -> keyTransitions.released(lease, reply, discard));
  }

  /**
   * A session died on its own (process exit, expired upstream session), or was closed: forget it.
   * A crash (the process or connection gone) pushes the key's next start back.
   */
  void closed(UpstreamSession session, String reason) {
    run(() -> keyTransitions.sessionClosed(session, reason));
  }

  /** An upstream's credentials changed, for every tenant (null) or one: see {@link PoolKeys#forget}. */
  void forget(String upstream, String tenant) {
    run(() -> {
      keys.forget(upstream, tenant);
      return Completions.none();
    });
  }

  /** Takes a config version: new leases and keys use its upstream options. */
  void configure(JunctionConfig next) {
    assert transitions.onOwner() : "the pool touched off its shard context";
    config = next;
  }

  /**
   * An upstream was removed or changed by a reload: every key of it drains (idle sessions close
   * now, leased ones when their call ends) and leaves the slot, so that the next lease makes a
   * key with the upstream's new options: see {@link PoolKeys#retire}.
   */
  void retire(String upstream) {
    run(() -> keys.retire(upstream, keyTransitions::drain));
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
    assert transitions.onOwner() : "the pool touched off its shard context";
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

  /**
   * A call asks to go upstream: refused while the circuit is open or the tenant's bulkhead is full.
   * Once admitted, with a live cached key, it also asks that key for a lease ({@code leased}) and
   * completes {@code admitted} with the key; without one, with null.
   */
  private Completions admit(Scope scope, UpstreamOptions options, Promise<KeyPool> admitted, Promise<Lease> leased) {
    String upstream = options.name();
    String tenant = scope.tenantKey;
    if (circuits.open(upstream)) {
      return Completions.failing(admitted, JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream,
          "circuit open"));
    }
    int busy = bulkheads.enter(tenant, upstream, options.pool().maxInFlightPerTenant());
    if (busy >= 0) {
      return Completions.failing(admitted, JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream,
          "too many concurrent calls from this tenant (" + busy + ")"));
    }
    KeyPool cached = cached(scope, upstream);
    if (cached == null) {
      return Completions.none().succeed(admitted, null);
    }
    return keyTransitions.acquire(cached, false, leased).succeed(admitted, cached);
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
    return Completions.none().succeed(found, cached(scope, upstream));
  }

  /** The scope's cached key for the upstream, attached to the scope while it is live and not draining; else null. */
  private KeyPool cached(Scope scope, String upstream) {
    KeyPool cached = scope.pools.get(upstream);
    if (cached != null && !cached.draining && keys.live(cached)) {
      cached.attached.add(scope);
      return cached;
    }
    return null;
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
    superseded.forEach(old -> after.and(keyTransitions.drain(old)));
    return after.succeed(found, pool);
  }
}
