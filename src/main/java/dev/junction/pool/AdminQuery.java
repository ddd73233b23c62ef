package dev.junction.pool;

/** Ingress asks a shard for its pool state (admin view). */
public record AdminQuery() {
}
