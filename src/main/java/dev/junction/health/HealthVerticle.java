package dev.junction.health;

import dev.junction.bus.Addresses;
import dev.junction.config.JunctionConfig;
import dev.junction.ingress.Readiness;
import dev.junction.pool.HealthChange;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import dev.junction.metrics.JunctionMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns the health state of every upstream, the gateway's readiness and the circuit breakers.
 * Shards report connection and call outcomes; each change is published so that every shard
 * updates its own copy. Probing and failover build on this state in the resilience issue. One
 * instance.
 */
public final class HealthVerticle extends VerticleBase {
  /** Upstream states. */
  public static final String CONNECTING = "Connecting";
  public static final String HEALTHY = "Healthy";
  public static final String UNHEALTHY = "Unhealthy";

  private final JunctionConfig config;

  // Owned by this verticle's context.
  private final Map<String, String> states = new LinkedHashMap<>();
  private boolean started;

  public HealthVerticle(JunctionConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    config.upstreams().keySet().forEach(name -> states.put(name, CONNECTING));
    var reports = vertx.eventBus().<UpstreamReport>localConsumer(Addresses.HEALTH_REPORT, m -> apply(m.body()));
    var ready = vertx.eventBus().<ReadyQuery>localConsumer(Addresses.HEALTH_READY,
        m -> m.reply(new Readiness(started, states)));
    var lifecycle = vertx.eventBus().<GatewayStarted>localConsumer(Addresses.HEALTH_STARTED,
        m -> started = true);
    Breakers breakers = new Breakers(vertx, config, JunctionMetrics.create());
    var outcomes = vertx.eventBus().<CallOutcome>localConsumer(Addresses.HEALTH_OUTCOMES, m -> breakers.outcome(m.body()));
    var probes = vertx.eventBus().<ProbeRequest>localConsumer(Addresses.HEALTH_PROBE,
        m -> m.reply(breakers.probe(m.body().upstream())));
    return Future.all(List.of(reports.completion(), ready.completion(), lifecycle.completion(),
        outcomes.completion(), probes.completion()));
  }

  private void apply(UpstreamReport report) {
    String next = report.ok() ? HEALTHY : UNHEALTHY;
    String previous = states.put(report.upstream(), next);
    if (!next.equals(previous)) {
      vertx.eventBus().publish(Addresses.HEALTH_CHANGES, new HealthChange(report.upstream(), next));
    }
  }
}
