package dev.junction.pool;

/** Published by the health verticle when an upstream's state changes; each shard keeps a copy. */
public record HealthChange(String upstream, String state) {
}
