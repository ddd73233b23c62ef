package dev.junction.pool;

import dev.junction.bus.ProbeResult;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionException;
import dev.junction.error.Outcome;
import dev.junction.mcp.ProtocolVersion;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Health probes of the upstreams whose probe shard this is. A probe leases a session of the
 * gateway's own probe tenant (never a client's), past the circuit, and runs the upstream's check
 * chain with the probe timeout. A session that fails a probe is dropped, so the next probe (a
 * reconnect attempt) starts a fresh one; an expired session is replaced at once. Owned by the
 * shard context.
 */
final class Probes {
  /** The probe tenant's key: not a SHA-256 hex digest, so no client's tenant key can equal it. */
  static final String TENANT = "junction:probe";

  // replaced by each new config version (configure), on the shard context
  private JunctionConfig config;
  private final UpstreamPool pool;
  private final Map<String, Scope> scopes = new HashMap<>();

  Probes(JunctionConfig config, UpstreamPool pool) {
    this.config = config;
    this.pool = pool;
  }

  /** Takes a config version: the next probe uses its options. */
  void configure(JunctionConfig next) {
    config = next;
    scopes.keySet().retainAll(next.upstreams().keySet());
  }

  Future<ProbeResult> probe(String upstream) {
    if (!config.upstreams().containsKey(upstream)) {
      // removed by a reload while the health verticle asked
      return Future.succeededFuture(new ProbeResult(false, false, "removed from the config"));
    }
    return once(upstream)
        .compose(r -> switch (r.outcome()) {
          case EXPIRED -> once(upstream);
          // the probe's session was refused mid-way (its token expired): renew as a call would
          case UNAUTHORIZED -> pool.renew(scope(upstream), upstream, r.challenge()).compose(c -> once(upstream));
          default -> Future.succeededFuture(r);
        })
        .map(r -> r.outcome() == Outcome.OK
            ? new ProbeResult(true, false, null)
            : new ProbeResult(false, r.outcome() == Outcome.DISCONNECTED, r.detail()))
        .otherwise(err -> new ProbeResult(false, StartFailed.unreachable(err), JunctionException.describe(err)));
  }

  private Scope scope(String upstream) {
    return scopes.computeIfAbsent(upstream,
        u -> new Scope(TENANT, new JsonObject(), Discovery.serverInfo(), ProtocolVersion.LATEST_SESSION_BASED));
  }

  private Future<Reply> once(String upstream) {
    UpstreamOptions options = config.upstreams().get(upstream);
    return pool.acquireForProbe(scope(upstream), upstream).compose(lease ->
        HealthChain.check(lease.session(), options.pool().healthCheck(), options.health().probeTimeoutMs())
            .onSuccess(reply -> pool.release(lease, reply, reply.outcome() != Outcome.OK)));
  }
}
