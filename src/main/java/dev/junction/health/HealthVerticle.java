package dev.junction.health;

import dev.junction.bus.Addresses;
import dev.junction.bus.CallOutcome;
import dev.junction.bus.ConfigChanged;
import dev.junction.bus.CircuitState;
import dev.junction.bus.GatewayStarted;
import dev.junction.bus.HealthChange;
import dev.junction.bus.Heartbeat;
import dev.junction.bus.ProbeResult;
import dev.junction.bus.ProbeUpstream;
import dev.junction.bus.ProcessSlot;
import dev.junction.bus.ProcessSlotReply;
import dev.junction.bus.Readiness;
import dev.junction.bus.ReadyQuery;
import dev.junction.bus.UpstreamState;
import dev.junction.bus.UpstreamsQuery;
import dev.junction.bus.UpstreamsView;
import dev.junction.config.ConfigChange;
import dev.junction.config.HealthOptions;
import dev.junction.config.JunctionConfig;
import dev.junction.metrics.JunctionMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the health of every upstream: its state (Connecting, Healthy, Degraded, Unhealthy,
 * Disconnected), its circuit, reconnects with backoff, failover, the process slots of stdio
 * upstreams, and the gateway's readiness. One instance.
 *
 * <p>Shards report call and session-start outcomes. Failures below the threshold make an upstream
 * Degraded; at the threshold its circuit opens (Unhealthy, or Disconnected when nothing answered)
 * and shards answer its calls at once. While open, reconnect probes run after growing delays
 * (exponential backoff with jitter); the first that passes closes the circuit. Healthy upstreams
 * are probed every {@code probeInterval}. A probe runs on the upstream's probe shard: a session of
 * the gateway's own, checked with the health chain. Every change is published as a
 * {@link HealthChange}, which each shard applies to its own copy.
 */
public final class HealthVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HealthVerticle.class);

  // replaced by each new config version (configure), on this verticle's context
  private JunctionConfig config;

  // Owned by this verticle's context.
  private final Map<String, Monitor> monitors = new LinkedHashMap<>();
  private final Map<String, HealthChange> published = new HashMap<>();
  private JunctionMetrics metrics;
  private boolean started;

  public HealthVerticle(JunctionConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    metrics = JunctionMetrics.create();
    config.upstreams().values().forEach(u -> {
      monitors.put(u.name(), new Monitor(u));
      metrics.upstreamState(u.name(), UpstreamState.CONNECTING);
      metrics.circuitState(u.name(), CircuitState.CLOSED);
    });
    var bus = vertx.eventBus();
    List<MessageConsumer<?>> consumers = List.of(
        bus.<CallOutcome>localConsumer(Addresses.HEALTH_OUTCOMES, m -> outcome(m.body())),
        bus.<ReadyQuery>localConsumer(Addresses.HEALTH_READY, m -> m.reply(readiness())),
        bus.<Heartbeat>localConsumer(Addresses.HEALTH_HEARTBEAT, m -> m.reply(m.body())),
        bus.<GatewayStarted>localConsumer(Addresses.HEALTH_STARTED, m -> begin()),
        bus.<ProcessSlot>localConsumer(Addresses.HEALTH_PROCESSES, this::processSlot),
        bus.<UpstreamsQuery>localConsumer(Addresses.HEALTH_UPSTREAMS, m -> m.reply(view())),
        bus.<ConfigChanged>localConsumer(Addresses.CONFIG_CHANGED, m -> configure(m.body().config())));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    monitors.values().forEach(m -> {
      vertx.cancelTimer(m.probeTimer);
      vertx.cancelTimer(m.reconnectTimer);
      vertx.cancelTimer(m.failbackTimer);
    });
    return Future.succeededFuture();
  }

  /** The gateway is up: the first probes run now, then every probe interval. */
  private void begin() {
    started = true;
    monitors.values().forEach(this::watch);
  }

  /** Probes the upstream now, then every probe interval while it is still monitored. */
  private void watch(Monitor m) {
    long interval = m.options.health().probeIntervalMs();
    vertx.cancelTimer(m.probeTimer);
    m.probeTimer = -1;
    if (interval > 0) {
      probe(m, false);
      m.probeTimer = vertx.setPeriodic(interval, t -> {
        if (!m.open && !m.probing) {
          probe(m, false);
        }
      });
    }
  }

  /**
   * A new config version: monitors of removed upstreams stop, changed ones take the new options
   * (and, once started, a fresh probe), added ones start Connecting and are probed.
   */
  private void configure(JunctionConfig next) {
    ConfigChange change = ConfigChange.between(config, next);
    config = next;
    for (String name : change.removed()) {
      Monitor m = monitors.remove(name);
      vertx.cancelTimer(m.probeTimer);
      vertx.cancelTimer(m.reconnectTimer);
      vertx.cancelTimer(m.failbackTimer);
      published.remove(name);
    }
    for (String name : change.changed()) {
      Monitor m = monitors.get(name);
      m.options = next.upstreams().get(name);
      if (started && !m.open) {
        watch(m);
      }
    }
    for (String name : change.added()) {
      Monitor m = new Monitor(next.upstreams().get(name));
      monitors.put(name, m);
      metrics.upstreamState(name, UpstreamState.CONNECTING);
      metrics.circuitState(name, CircuitState.CLOSED);
      if (started) {
        watch(m);
      }
    }
    reroute();
  }

  private Readiness readiness() {
    Map<String, String> states = new LinkedHashMap<>();
    monitors.forEach((name, m) -> states.put(name, m.state.label()));
    boolean upstreamOk = !config.readyNeedsHealthyUpstream() || monitors.values().stream()
        .anyMatch(m -> !m.open && m.state.ready());
    return new Readiness(started && upstreamOk, states);
  }

  private void outcome(CallOutcome o) {
    Monitor m = monitors.get(o.upstream());
    if (m == null) {
      return;
    }
    startsLogged(m, o);
    if (m.open) {
      return; // while the circuit is open, only reconnect probes decide
    }
    if (o.ok()) {
      success(m);
    } else {
      failure(m, o.disconnected(), o.detail());
    }
  }

  /**
   * A burst of clients on an upstream whose sessions cannot start makes one failure per start on
   * every shard: the first is logged with its cause, once per upstream, until something succeeds.
   */
  private void startsLogged(Monitor m, CallOutcome o) {
    if (o.start() && !m.startsFailing) {
      m.startsFailing = true;
      LOG.warn("upstream {}: a session could not be started: {}", m.name(), o.detail());
    } else if (o.ok() && m.startsFailing) {
      m.startsFailing = false;
      LOG.info("upstream {}: sessions start again", m.name());
    }
  }

  /**
   * Checks an upstream on its probe shard. The reply timeout leaves room for a fresh session
   * (connect timeout) and two steps of the check chain.
   */
  private void probe(Monitor m, boolean reconnect) {
    m.probing = true;
    HealthOptions h = m.options.health();
    int shard = Math.floorMod(m.name().hashCode(), config.shards());
    long timeout = m.options.connectTimeoutMs() + 2 * h.probeTimeoutMs() + 1_000;
    vertx.eventBus().<ProbeResult>request(Addresses.probe(shard), new ProbeUpstream(m.name()),
        new DeliveryOptions().setSendTimeout(timeout)).onComplete(ar -> {
          m.probing = false;
          ProbeResult r = ar.succeeded()
              ? ar.result().body()
              : new ProbeResult(false, false, "the probe got no answer");
          m.lastProbeAt = System.currentTimeMillis();
          m.lastProbe = r.ok() ? "ok" : r.detail();
          if (reconnect) {
            reconnected(m, r);
          } else if (!m.open) {
            if (r.ok()) {
              success(m);
            } else {
              failure(m, r.disconnected(), r.detail());
            }
          }
        });
  }

  private void success(Monitor m) {
    m.failures = 0;
    setState(m, UpstreamState.HEALTHY);
  }

  private void failure(Monitor m, boolean disconnected, String detail) {
    m.failures++;
    m.lastError = detail;
    m.lastErrorAt = System.currentTimeMillis();
    if (m.failures >= m.options.health().failureThreshold()) {
      m.open = true;
      m.attempt = 0;
      metrics.circuitTrip(m.name());
      metrics.circuitState(m.name(), m.circuit());
      LOG.warn("upstream {}: circuit opened after {} consecutive failures ({})", m.name(), m.failures, detail);
      setState(m, disconnected ? UpstreamState.DISCONNECTED : UpstreamState.UNHEALTHY);
      scheduleReconnect(m);
    } else {
      setState(m, UpstreamState.DEGRADED);
    }
  }

  private void scheduleReconnect(Monitor m) {
    long delay = m.options.health().reconnectDelayMs(m.attempt++);
    m.reconnectTimer = vertx.setTimer(delay, t -> {
      m.reconnectTimer = -1;
      m.reconnecting = true;
      metrics.circuitState(m.name(), m.circuit());
      probe(m, true);
    });
  }

  private void reconnected(Monitor m, ProbeResult r) {
    m.reconnecting = false;
    metrics.reconnectAttempt(m.name(), r.ok());
    if (r.ok()) {
      LOG.info("upstream {}: reconnected after {} attempt(s); circuit closed", m.name(), m.attempt);
      m.startsFailing = false;
      m.open = false;
      m.attempt = 0;
      m.failures = 0;
      metrics.circuitState(m.name(), m.circuit());
      setState(m, UpstreamState.HEALTHY);
      return;
    }
    m.failures++;
    m.lastError = r.detail();
    m.lastErrorAt = System.currentTimeMillis();
    metrics.circuitState(m.name(), m.circuit());
    LOG.debug("upstream {}: reconnect attempt {} failed ({})", m.name(), m.attempt, r.detail());
    setState(m, r.disconnected() ? UpstreamState.DISCONNECTED : UpstreamState.UNHEALTHY);
    scheduleReconnect(m);
  }

  private void setState(Monitor m, UpstreamState state) {
    if (state != m.state) {
      LOG.info("upstream {}: {} -> {}", m.name(), m.state.label(), state.label());
      m.healthySince = state == UpstreamState.HEALTHY ? System.currentTimeMillis() : 0;
      m.state = state;
      metrics.upstreamState(m.name(), state);
    }
    reroute();
  }

  /** Recomputes who serves each upstream with failover members, then publishes what changed. */
  private void reroute() {
    long now = System.currentTimeMillis();
    for (Monitor m : monitors.values()) {
      if (m.options.failover().isEmpty()) {
        continue;
      }
      String next = Failover.choose(m, monitors, now);
      if (!next.equals(m.serving)) {
        LOG.warn("upstream {}: traffic moves to {}", m.name(), next);
        metrics.failover(m.name(), next);
        m.serving = next;
      }
      if (!m.serving.equals(m.name()) && m.state == UpstreamState.HEALTHY && m.failbackTimer < 0) {
        long wait = Math.max(1, m.healthySince + m.options.health().failbackAfterMs() - now);
        m.failbackTimer = vertx.setTimer(wait, t -> {
          m.failbackTimer = -1;
          reroute();
        });
      }
    }
    for (Monitor m : monitors.values()) {
      HealthChange change = new HealthChange(m.name(), m.state, m.open, m.serving);
      if (!change.equals(published.get(m.name()))) {
        published.put(m.name(), change);
        vertx.eventBus().publish(Addresses.HEALTH_CHANGES, change);
      }
    }
  }

  private void processSlot(Message<ProcessSlot> msg) {
    ProcessSlot slot = msg.body();
    Monitor m = monitors.get(slot.upstream());
    if (m == null) {
      msg.reply(new ProcessSlotReply(false));
      return;
    }
    if (slot.take()) {
      boolean granted = m.processes < m.options.maxProcesses();
      if (granted) {
        m.processes++;
      }
      msg.reply(new ProcessSlotReply(granted));
    } else {
      m.processes = Math.max(0, m.processes - 1);
    }
    metrics.processes(m.name(), m.processes, m.options.maxProcesses());
  }

  private UpstreamsView view() {
    JsonObject all = new JsonObject();
    monitors.forEach((name, m) -> all.put(name, m.toJson()));
    return new UpstreamsView(all);
  }
}
