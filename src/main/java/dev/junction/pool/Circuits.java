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
 * costs no messages. Owned by the shard context; a report is one of the completions a pool
 * transition returns, so it is sent after the transition.
 */
final class Circuits {
  private static final String OFF_CONTEXT = "circuits touched off their shard context";

  private final Vertx vertx;
  private final Owner owner = new Owner();
  private final Map<String, HealthChange> health = new HashMap<>();
  private final Set<String> failedSinceReport = new HashSet<>();
  private final Set<String> reported = new HashSet<>();

  Circuits(Vertx vertx) {
    this.vertx = vertx;
  }

  void apply(HealthChange change) {
    assert owner.current() : OFF_CONTEXT;
    health.put(change.upstream(), change);
  }

  /** The circuit is open: calls are answered at once, without the upstream. */
  boolean open(String upstream) {
    assert owner.current() : OFF_CONTEXT;
    HealthChange h = health.get(upstream);
    return h != null && h.open();
  }

  /** The upstream that takes this upstream's traffic (itself, or a failover member). */
  String serving(String upstream) {
    assert owner.current() : OFF_CONTEXT;
    HealthChange h = health.get(upstream);
    return h == null ? upstream : h.serving();
  }

  /** A failure of the upstream; the report to the health verticle is sent after the transition. */
  Completions failed(String upstream, boolean disconnected, String detail) {
    assert owner.current() : OFF_CONTEXT;
    failedSinceReport.add(upstream);
    return report(new CallOutcome(upstream, false, disconnected, detail, false));
  }

  /** A session start that failed: a failure like any other, which the health verticle also logs once per run. */
  Completions startFailed(String upstream, boolean disconnected, String detail) {
    assert owner.current() : OFF_CONTEXT;
    failedSinceReport.add(upstream);
    return report(new CallOutcome(upstream, false, disconnected, detail, true));
  }

  /** A success; reported (after the transition) only when it is news to the health verticle. */
  Completions succeeded(String upstream) {
    assert owner.current() : OFF_CONTEXT;
    // both sides must run (non-short-circuit |): the run of failures ends and the upstream counts as reported
    if (failedSinceReport.remove(upstream) | reported.add(upstream)) {
      return report(new CallOutcome(upstream, true, false, null, false));
    }
    return Completions.none();
  }

  private Completions report(CallOutcome outcome) {
    return Completions.of(() -> vertx.eventBus().send(Addresses.HEALTH_OUTCOMES, outcome));
  }
}
