package dev.junction.health;

import dev.junction.bus.CircuitState;
import dev.junction.bus.UpstreamState;
import dev.junction.config.UpstreamOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What the health verticle knows about one upstream. Owned by the health verticle's context.
 */
final class Monitor {
  /** Replaced when a reload changes the upstream: the next probe and failure count use the new options. */
  UpstreamOptions options;
  long probeTimer = -1;
  UpstreamState state = UpstreamState.CONNECTING;
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
  /** The last session start a shard reported failed: logged once per run, whichever shards report it. */
  boolean startsFailing;
  long lastProbeAt;
  String lastProbe;

  Monitor(UpstreamOptions options) {
    this.options = options;
    this.serving = options.name();
  }

  String name() {
    return options.name();
  }

  /** The circuit as shown and measured: open, half-open while a reconnect probe is out, or closed. */
  CircuitState circuit() {
    return open ? (reconnecting ? CircuitState.HALF_OPEN : CircuitState.OPEN) : CircuitState.CLOSED;
  }

  /** Takes traffic: not open, whatever the state (Connecting and Degraded still serve). */
  boolean up() {
    return !open;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("state", state.label()).put("circuit", circuit().label())
        .put("consecutiveFailures", failures).put("serving", serving);
    if (open) {
      json.put("reconnectAttempts", attempt);
    }
    if (options.transport() == UpstreamOptions.Transport.STDIO) {
      json.put("processes", processes).put("maxProcesses", options.maxProcesses());
    }
    if (lastError != null) {
      json.put("lastError", lastError).put("lastErrorAt", Instant.ofEpochMilli(lastErrorAt).toString());
    }
    if (lastProbe != null) {
      json.put("lastProbe", lastProbe).put("lastProbeAt", Instant.ofEpochMilli(lastProbeAt).toString());
    }
    if (!options.failover().isEmpty()) {
      json.put("failover", new JsonArray(options.failover()));
    }
    return json;
  }
}
