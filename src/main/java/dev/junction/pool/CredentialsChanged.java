package dev.junction.pool;

/** Published by the OAuth verticle when an upstream's credentials change; shards drop what they cached. */
public record CredentialsChanged(String upstream) {
}
