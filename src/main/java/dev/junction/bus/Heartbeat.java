package dev.junction.bus;

/**
 * Liveness: {@code /healthz} sends one to every pool shard and to the health verticle, each of
 * which answers with it from its own event loop.
 */
public record Heartbeat() implements BusMessage {
}
