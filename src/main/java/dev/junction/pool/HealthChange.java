package dev.junction.pool;

/**
 * Published by the health verticle when an upstream's state changes; every shard applies it to
 * its own copy.
 *
 * @param state Connecting, Healthy, Degraded, Unhealthy or Disconnected
 * @param open the circuit is open: calls are answered at once, without the upstream
 * @param serving the upstream that takes this upstream's traffic: itself, or a failover member
 */
public record HealthChange(String upstream, String state, boolean open, String serving) {
}
