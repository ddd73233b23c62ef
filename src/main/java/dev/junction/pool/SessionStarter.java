package dev.junction.pool;

import dev.junction.config.Sharing;
import dev.junction.config.UpstreamOptions;
import dev.junction.upstream.Transports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Starts the upstream sessions of a shard's pool keys: a transport from the shard's
 * {@link Transports}, then revision negotiation within the create timeout. What each HTTP
 * upstream spoke is remembered in {@link UpstreamRevisions}; process starts are paced per stdio
 * upstream. Owned by the shard context.
 */
final class SessionStarter {
  private final Vertx vertx;
  private final Transports transports;
  private final UpstreamRevisions revisions;
  private final UpstreamSession.Events events;
  // Owned by the shard context.
  /** Paced process starts, per stdio upstream. */
  private final Map<String, StartGate> starts = new HashMap<>();

  SessionStarter(Vertx vertx, Transports transports, UpstreamRevisions revisions, UpstreamSession.Events events) {
    this.vertx = vertx;
    this.transports = transports;
    this.revisions = revisions;
    this.events = events;
  }

  /** Creates a session for a pool key: transport, then initialize within the create timeout. */
  Future<UpstreamSession> start(KeyPool key) {
    UpstreamOptions options = key.upstream;
    // the legacy HTTP+SSE transport is 2024-11-05's own: no 2026-07-28 there
    boolean probe = options.transport() != UpstreamOptions.Transport.SSE
        && options.sharing() != Sharing.CLIENT && options.sharing() != Sharing.TENANT
        && revisions.mayBeStateless(options.name());
    long timeout = Math.min(key.limits.createTimeoutMs(), options.connectTimeoutMs());
    // exactly the credentials whose hash is part of the key
    Supplier<Future<UpstreamSession>> start = () -> transports.create(options, key.credentials.headers(), listens(key))
        .compose(transport -> new UpstreamSession(vertx, key, transport, events).initialize(timeout, probe))
        .onSuccess(s -> revisions.learned(options.name(), s.description().stateless()));
    if (options.transport() != UpstreamOptions.Transport.STDIO) {
      return start.get();
    }
    // a process's start is paced; its create timeout counts from when it actually starts
    return starts.computeIfAbsent(options.name(), u -> new StartGate(options.startConcurrency())).run(start);
  }

  /**
   * A session opens a GET stream when a client can hear it: a session-based client on its own GET
   * stream, a 2026-07-28 tenant on an open {@code subscriptions/listen} ({@link Subscriptions}).
   * Other stateless tenants' sessions open none, so that connections stay bounded by the shards'
   * client pools rather than by the number of tenants; the health probes' sessions have no client.
   */
  private static boolean listens(KeyPool key) {
    return !key.probe && key.attached.stream().anyMatch(scope -> scope.session() != null || scope.listening > 0);
  }
}
