package dev.junction.bus;

/**
 * Published by the OAuth verticle when an upstream's credentials change: for every tenant
 * ({@code tenantKey} null) or for one. Shards drop what they cached, so new calls get new pool keys.
 */
public record CredentialsChanged(String upstream, String tenantKey) implements BusMessage {
}
