package dev.junction.pool;

import dev.junction.bus.Credentials;
import dev.junction.config.SessionPoolOptions;
import dev.junction.config.UpstreamOptions;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The upstream sessions of one pool key, the calls waiting for one, and the scopes that use them.
 * Owned by its shard's context; {@link UpstreamPool} runs the state machine over it (its states and
 * transitions are described in the package's {@code package-info}).
 */
final class KeyPool {
  private static final String OFF_CONTEXT = "a pool key touched off its shard context";

  /** One pooled session. */
  static final class Entry {
    final UpstreamSession session;
    final long created = System.currentTimeMillis();
    long lastUsed = created;
    int inFlight;
    boolean checking;
    /** Set by the first lease: a session serves at least one call, whatever its TTL. */
    boolean used;

    Entry(UpstreamSession session) {
      this.session = session;
    }
  }

  /** A call waiting for a session. Owned by the shard context. */
  static final class Waiter {
    private final Promise<Lease> promise;
    private final long since;
    private final boolean probe;
    /** The timer that ends the wait; re-armed while a session for it is still being created. */
    long timer = -1;

    Waiter(Promise<Lease> promise, long since, boolean probe) {
      this.promise = promise;
      this.since = since;
      this.probe = probe;
    }

    Promise<Lease> promise() {
      return promise;
    }

    long timer() {
      return timer;
    }

    long since() {
      return since;
    }

    boolean probe() {
      return probe;
    }
  }

  final PoolKey key;
  final UpstreamOptions upstream;
  final SessionPoolOptions limits;
  /** The credentials this key's sessions open with (their hash is part of the key); secrets. */
  final Credentials credentials;
  /** What the gateway declares upstream for this key's sessions (part of the config hash). */
  final JsonObject capabilities;
  final JsonObject clientInfo;
  final String protocolVersion;
  final List<Entry> entries = new ArrayList<>();
  final Deque<Waiter> waiters = new ArrayDeque<>();
  /** Downstream scopes that have used this key: they hear its sessions' notifications. */
  final Set<Scope> attached = new LinkedHashSet<>();
  int creating;
  /** Superseded by a newer key (a new credential): no new leases; sessions close when idle. */
  boolean draining;
  long lastUsed = System.currentTimeMillis();
  /** The gateway's own key for health probes: its outcomes are the probes' answers. */
  final boolean probe;
  /** Sessions that crashed since the last successful call; each pushes the next start back. */
  int crashes;
  /** No session starts before this time (crash backoff). */
  long restartAt;
  long restartTimer = -1;
  private final Owner owner = new Owner();

  KeyPool(PoolKey key, UpstreamOptions upstream, Credentials credentials, JsonObject capabilities,
      JsonObject clientInfo, String protocolVersion) {
    this.key = key;
    this.upstream = upstream;
    this.credentials = credentials;
    this.probe = Probes.TENANT.equals(key.tenant());
    this.limits = upstream.pool();
    this.capabilities = capabilities;
    this.clientInfo = clientInfo;
    this.protocolVersion = protocolVersion;
  }

  /** True once a used session has outlived the TTL: it takes no new calls. */
  boolean expired(Entry e, long now) {
    assert owner.current() : OFF_CONTEXT;
    return e.used && now - e.created >= limits.sessionTtlMs();
  }

  /** The least busy session that can take a call now, or null. */
  Entry available() {
    assert owner.current() : OFF_CONTEXT;
    if (draining) {
      return null;
    }
    long now = System.currentTimeMillis();
    Entry best = null;
    for (Entry e : entries) {
      if (!e.checking && !e.session.closed() && !expired(e, now) && e.inFlight < perSession()
          && (best == null || e.inFlight < best.inFlight)) {
        best = e;
      }
    }
    return best;
  }

  /** Idle sessions that are dead or past their TTL: their slots can be given back. */
  List<Entry> reapable() {
    assert owner.current() : OFF_CONTEXT;
    long now = System.currentTimeMillis();
    List<Entry> reapable = null;
    for (Entry e : entries) {
      if (e.inFlight == 0 && !e.checking && (e.session.closed() || expired(e, now))) {
        reapable = reapable == null ? new ArrayList<>(2) : reapable;
        reapable.add(e);
      }
    }
    return reapable == null ? List.of() : reapable;
  }

  /** Calls one session can take; 0 in the options means no limit. */
  int perSession() {
    return limits.maxInFlightPerSession() == 0 ? Integer.MAX_VALUE : limits.maxInFlightPerSession();
  }

  /**
   * A session of this key crashed or failed to start: the next start waits. The first restart is
   * immediate; later ones follow the upstream's reconnect backoff, until a call succeeds again.
   */
  void startFailed() {
    assert owner.current() : OFF_CONTEXT;
    crashes++;
    restartAt = crashes <= 1 ? 0 : System.currentTimeMillis() + upstream.health().reconnectDelayMs(crashes - 2);
  }

  /** Milliseconds until a session may start, or 0 or less when it may start now. */
  long startDelay() {
    assert owner.current() : OFF_CONTEXT;
    return restartAt - System.currentTimeMillis();
  }

  boolean idle() {
    assert owner.current() : OFF_CONTEXT;
    return entries.isEmpty() && creating == 0 && waiters.isEmpty();
  }
}
