package dev.junction.bus;

/** An upstream's circuit breaker. */
public enum CircuitState {
  /** Calls go through. */
  CLOSED("closed", 0),
  /** Open, with a reconnect probe out. */
  HALF_OPEN("half-open", 1),
  /** Calls are answered at once, without the upstream (or go to a failover member). */
  OPEN("open", 2);

  private final String label;
  private final int gauge;

  CircuitState(String label, int gauge) {
    this.label = label;
    this.gauge = gauge;
  }

  /** The name shown on {@code /admin/upstreams}. */
  public String label() {
    return label;
  }

  /** The value of the {@code junction_circuit_state} gauge. */
  public int gauge() {
    return gauge;
  }
}
