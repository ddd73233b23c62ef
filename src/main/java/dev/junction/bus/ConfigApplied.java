package dev.junction.bus;

/**
 * Sent by each ingress instance and pool shard once it has swapped its copy for a
 * {@link ConfigChanged}'s config, so that the reload verticle answers "applied" only when the next
 * request, on whichever instance it lands, is served by the new version.
 *
 * @param version the version now applied
 */
public record ConfigApplied(long version) implements BusMessage {
}
