package dev.junction.bus;

/**
 * A shard asks for the credentials to open an upstream session for a tenant.
 *
 * @param subjectToken the client's token, for token exchange and passthrough (a secret), or null
 */
public record CredentialsRequest(String upstream, String tenantKey, String subjectToken) implements BusMessage {
  @Override
  public String toString() {
    return "CredentialsRequest[upstream=" + upstream + "]";
  }
}
