package dev.junction.pool;

import dev.junction.bus.Addresses;
import dev.junction.bus.CallOutcome;
import dev.junction.bus.HealthChange;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A shard's copy of every upstream's health (circuit and failover target), and its reports to
 * the health verticle, which owns the state. Failures are always reported; a success only when
 * it is the shard's first for the upstream or ends a run of failures, so a healthy upstream
 * costs no messages. Owned by the shard context.
 */
final class Circuits {
  private final Vertx vertx;
  private final Map<String, HealthChange> health = new HashMap<>();
  private final Set<String> failedSinceReport = new HashSet<>();
  private final Set<String> reported = new HashSet<>();

  Circuits(Vertx vertx) {
    this.vertx = vertx;
  }

  void apply(HealthChange change) {
    health.put(change.upstream(), change);
  }

  /** The circuit is open: calls are answered at once, without the upstream. */
  boolean open(String upstream) {
    HealthChange h = health.get(upstream);
    return h != null && h.open();
  }

  /** The upstream that takes this upstream's traffic (itself, or a failover member). */
  String serving(String upstream) {
    HealthChange h = health.get(upstream);
    return h == null ? upstream : h.serving();
  }

  void failed(String upstream, boolean disconnected, String detail) {
    failedSinceReport.add(upstream);
    vertx.eventBus().send(Addresses.HEALTH_OUTCOMES, new CallOutcome(upstream, false, disconnected, detail));
  }

  void succeeded(String upstream) {
    // both sides must run (non-short-circuit |): the run of failures ends and the upstream counts as reported
    if (failedSinceReport.remove(upstream) | reported.add(upstream)) {
      vertx.eventBus().send(Addresses.HEALTH_OUTCOMES, new CallOutcome(upstream, true, false, null));
    }
  }
}
