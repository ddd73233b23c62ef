package dev.junction.pool;

/** Published by the health verticle when an upstream's circuit changes; every shard applies it. */
public record CircuitChange(String upstream, State state) {
  /** Circuit states. */
  public enum State { CLOSED, OPEN, HALF_OPEN }
}
