package dev.junction.bus;

/** Ingress asks a shard for its pool state (admin view). */
public record AdminQuery() implements BusMessage {
}
