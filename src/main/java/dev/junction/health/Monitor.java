package dev.junction.health;

import dev.junction.config.UpstreamOptions;
import io.vertx.core.json.JsonObject;

/**
 * What the health verticle knows about one upstream. Owned by the health verticle's context.
 */
final class Monitor {
  static final String CONNECTING = "Connecting";
  static final String HEALTHY = "Healthy";
  static final String DEGRADED = "Degraded";
  static final String UNHEALTHY = "Unhealthy";
  static final String DISCONNECTED = "Disconnected";
  static final java.util.List<String> STATES = java.util.List.of(CONNECTING, HEALTHY, DEGRADED, UNHEALTHY, DISCONNECTED);

  final UpstreamOptions options;
  String state = CONNECTING;
  /** Consecutive failures since the last success. */
  int failures;
  /** The circuit: open from the threshold until a reconnect probe passes. */
  boolean open;
  /** Reconnect attempts since the circuit opened (the backoff exponent). */
  int attempt;
  long reconnectTimer = -1;
  /** A reconnect probe is out: the circuit is half-open. */
  boolean reconnecting;
  boolean probing;
  /** When the upstream last became Healthy, or 0 while it is not. */
  long healthySince;
  /** Who takes this upstream's traffic: itself or a failover member. */
  String serving;
  long failbackTimer = -1;
  int processes;
  String lastError;
  long lastErrorAt;
  long lastProbeAt;
  String lastProbe;

  Monitor(UpstreamOptions options) {
    this.options = options;
    this.serving = options.name();
  }

  String name() {
    return options.name();
  }

  /** Takes traffic: not open, whatever the state (Connecting and Degraded still serve). */
  boolean up() {
    return !open;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("state", state).put("circuit", open ? (reconnecting ? "half-open" : "open") : "closed")
        .put("consecutiveFailures", failures).put("serving", serving);
    if (open) {
      json.put("reconnectAttempts", attempt);
    }
    if (options.transport() == UpstreamOptions.Transport.STDIO) {
      json.put("processes", processes).put("maxProcesses", options.maxProcesses());
    }
    if (lastError != null) {
      json.put("lastError", lastError).put("lastErrorAt", java.time.Instant.ofEpochMilli(lastErrorAt).toString());
    }
    if (lastProbe != null) {
      json.put("lastProbe", lastProbe).put("lastProbeAt", java.time.Instant.ofEpochMilli(lastProbeAt).toString());
    }
    if (!options.failover().isEmpty()) {
      json.put("failover", new io.vertx.core.json.JsonArray(options.failover()));
    }
    return json;
  }
}
