package dev.junction.pool;

import dev.junction.bus.Addresses;
import dev.junction.health.CallOutcome;
import dev.junction.health.ProbeRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A shard's copy of every upstream's circuit, and its reports to the health verticle, which owns
 * the breakers. Failures are always reported; a success only when it ends a run of failures or
 * answers a probe, so a healthy upstream costs no messages. Owned by the shard context.
 */
final class Circuits {
  private final Vertx vertx;
  private final Map<String, CircuitChange.State> states = new HashMap<>();
  private final Set<String> failedSinceReport = new HashSet<>();

  Circuits(Vertx vertx) {
    this.vertx = vertx;
  }

  void apply(CircuitChange change) {
    states.put(change.upstream(), change.state());
  }

  CircuitChange.State state(String upstream) {
    return states.getOrDefault(upstream, CircuitChange.State.CLOSED);
  }

  /** Asks for the one call a half-open circuit lets through. */
  Future<Boolean> probe(String upstream) {
    return vertx.eventBus().<Boolean>request(Addresses.HEALTH_PROBE, new ProbeRequest(upstream)).map(m -> m.body());
  }

  void failed(String upstream, boolean probe) {
    failedSinceReport.add(upstream);
    vertx.eventBus().send(Addresses.HEALTH_OUTCOMES, new CallOutcome(upstream, false, probe));
  }

  void succeeded(String upstream, boolean probe) {
    if (failedSinceReport.remove(upstream) || probe) {
      vertx.eventBus().send(Addresses.HEALTH_OUTCOMES, new CallOutcome(upstream, true, probe));
    }
  }
}
