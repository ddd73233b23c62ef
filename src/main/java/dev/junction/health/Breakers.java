package dev.junction.health;

import dev.junction.bus.Addresses;
import dev.junction.config.JunctionConfig;
import dev.junction.config.SessionPoolOptions;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.pool.CircuitChange;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of every upstream. Shards report failed calls (and the success that ends a
 * run of failures); after {@code failureThreshold} consecutive failures the circuit opens for
 * {@code resetTimeout}, then turns half-open and grants exactly one shard one probe call: its
 * success closes the circuit, its failure opens it again. Each change is published so that every
 * shard answers at once while open. Owned by the health verticle's context.
 */
final class Breakers {
  private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);

  private final Vertx vertx;
  private final JunctionConfig config;
  private final JunctionMetrics metrics;
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, CircuitChange.State> states = new HashMap<>();
  private final Set<String> probing = new HashSet<>();

  Breakers(Vertx vertx, JunctionConfig config, JunctionMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    config.upstreams().keySet().forEach(u -> metrics.circuitState(u, 0));
  }

  CircuitChange.State state(String upstream) {
    return states.getOrDefault(upstream, CircuitChange.State.CLOSED);
  }

  void outcome(CallOutcome outcome) {
    String upstream = outcome.upstream();
    CircuitChange.State state = state(upstream);
    if (outcome.ok()) {
      failures.remove(upstream);
      if (state == CircuitChange.State.HALF_OPEN && outcome.probe()) {
        probing.remove(upstream);
        set(upstream, CircuitChange.State.CLOSED);
      }
      return;
    }
    if (state == CircuitChange.State.HALF_OPEN && outcome.probe()) {
      probing.remove(upstream);
      open(upstream);
      return;
    }
    int n = failures.merge(upstream, 1, Integer::sum);
    SessionPoolOptions limits = config.upstreams().get(upstream).pool();
    if (state == CircuitChange.State.CLOSED && n >= limits.circuitFailureThreshold()) {
      metrics.circuitTrip(upstream);
      LOG.warn("upstream {}: circuit opened after {} consecutive failures", upstream, n);
      open(upstream);
    }
  }

  /**
   * Grants the one probe call of a half-open circuit. A shard asks while its copy says half-open;
   * if the circuit has closed meanwhile (the publish is still on its way), the call may go.
   */
  boolean probe(String upstream) {
    CircuitChange.State state = state(upstream);
    return state == CircuitChange.State.CLOSED || (state == CircuitChange.State.HALF_OPEN && probing.add(upstream));
  }

  private void open(String upstream) {
    failures.remove(upstream);
    set(upstream, CircuitChange.State.OPEN);
    vertx.setTimer(config.upstreams().get(upstream).pool().circuitResetTimeoutMs(), t -> {
      if (state(upstream) == CircuitChange.State.OPEN) {
        set(upstream, CircuitChange.State.HALF_OPEN);
      }
    });
  }

  private void set(String upstream, CircuitChange.State state) {
    states.put(upstream, state);
    metrics.circuitState(upstream, switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    });
    LOG.info("upstream {}: circuit {}", upstream, state);
    vertx.eventBus().publish(Addresses.CIRCUIT_CHANGES, new CircuitChange(upstream, state));
  }
}
