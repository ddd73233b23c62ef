package dev.junction.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The config reload meters: {@code junction_config_reloads_total{outcome}} (applied, unchanged,
 * rejected) and {@code junction_config_version}, the version this node runs. One instance per
 * registry; the gauge's value is read by the scraping thread, hence the atomic.
 */
public final class ReloadMetrics {
  private static final Map<MeterRegistry, ReloadMetrics> INSTANCES = new ConcurrentHashMap<>();

  private final MeterRegistry registry;
  private final AtomicLong version = new AtomicLong(1);

  private ReloadMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("junction.config.version", version, AtomicLong::get)
        .description("The config version this node runs (1: the one it started with)").register(registry);
  }

  /** The meters on the registry Vert.x scrapes (or on a private one without metrics). */
  public static ReloadMetrics create() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return INSTANCES.computeIfAbsent(registry != null ? registry : new SimpleMeterRegistry(), ReloadMetrics::new);
  }

  /** Counts one reload by its outcome and records the version that runs after it. */
  public void reloaded(String outcome, long runningVersion) {
    Counter.builder("junction.config.reloads").tag("outcome", outcome)
        .description("Config reloads by outcome (applied, unchanged, rejected)").register(registry).increment();
    version.set(runningVersion);
  }
}
