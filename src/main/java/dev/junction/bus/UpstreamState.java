package dev.junction.bus;

/** An upstream's health, as the health verticle decides it and publishes it to the shards. */
public enum UpstreamState {
  /** No outcome yet: calls go through. */
  CONNECTING("Connecting"),
  /** The last call, session start or probe succeeded. */
  HEALTHY("Healthy"),
  /** Fewer than {@code failureThreshold} consecutive failures: calls still go through. */
  DEGRADED("Degraded"),
  /** The threshold was reached and the upstream answered badly or not in time: circuit open. */
  UNHEALTHY("Unhealthy"),
  /** The threshold was reached and nothing answered at all (refused, reset, process gone): circuit open. */
  DISCONNECTED("Disconnected");

  private final String label;

  UpstreamState(String label) {
    this.label = label;
  }

  /** The name shown on {@code /readyz}, {@code /admin/upstreams} and in the metrics' {@code state} label. */
  public String label() {
    return label;
  }

  /** Good enough for readiness: Healthy or Degraded. */
  public boolean ready() {
    return this == HEALTHY || this == DEGRADED;
  }
}
