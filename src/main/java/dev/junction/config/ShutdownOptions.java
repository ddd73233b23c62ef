package dev.junction.config;

import io.vertx.core.json.JsonObject;

/**
 * What SIGTERM does ({@code shutdown: {drainDelay, timeout}}): readiness fails at once and the node
 * keeps serving for {@code drainDelay} while load balancers take it out of rotation; then it stops
 * accepting connections and lets in-flight requests and their streams finish for up to
 * {@code timeout}, after which the rest are closed and upstream sessions ended.
 *
 * @param drainDelayMs how long the node keeps serving after readiness has turned to 503; 0 for none
 * @param timeoutMs how long in-flight requests may take to finish once the listener is closed
 */
public record ShutdownOptions(long drainDelayMs, long timeoutMs) {
  /** Long enough for a Kubernetes Service's endpoints to drop the pod. */
  public static final long DEFAULT_DRAIN_DELAY_MS = 5_000;
  public static final long DEFAULT_TIMEOUT_MS = 30_000;
  /** The defaults. */
  public static final ShutdownOptions DEFAULTS = new ShutdownOptions(DEFAULT_DRAIN_DELAY_MS, DEFAULT_TIMEOUT_MS);

  public ShutdownOptions {
    if (drainDelayMs < 0) {
      throw new IllegalArgumentException("shutdown.drainDelay must not be negative");
    }
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("shutdown.timeout must be positive");
    }
  }

  /** The options as they are written in the config. */
  public JsonObject toJson() {
    return new JsonObject().put("drainDelay", Durations.format(drainDelayMs))
        .put("timeout", Durations.format(timeoutMs));
  }
}
