package dev.junction.oauth;

/** A shard asks for the credentials to open an upstream session for a tenant. */
public record CredentialsRequest(String upstream, String tenantKey) {
}
