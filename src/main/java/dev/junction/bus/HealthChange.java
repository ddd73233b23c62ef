package dev.junction.bus;

import dev.junction.bus.UpstreamState;

/**
 * Published by the health verticle when an upstream's state changes; every shard applies it to
 * its own copy.
 *
 * @param state the upstream's health
 * @param open the circuit is open: calls are answered at once, without the upstream
 * @param serving the upstream that takes this upstream's traffic: itself, or a failover member
 */
public record HealthChange(String upstream, UpstreamState state, boolean open, String serving) implements BusMessage {
}
