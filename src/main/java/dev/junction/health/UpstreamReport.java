package dev.junction.health;

/** A shard reports the outcome of connecting to an upstream, or its loss. */
public record UpstreamReport(String upstream, boolean ok, String detail) {
}
