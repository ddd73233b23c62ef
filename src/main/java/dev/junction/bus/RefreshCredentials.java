package dev.junction.bus;

/**
 * A shard's upstream call was refused with 401: the credentials it used are to be renewed once.
 *
 * @param subjectToken the client's token (token exchange, passthrough), or null; a secret
 * @param rejected SHA-256 (hex) of the Authorization value that was refused, so that concurrent
 *     401s for the same token renew it once
 * @param challenge the upstream's WWW-Authenticate value (may name its resource metadata), or null
 */
public record RefreshCredentials(String upstream, String tenantKey, String subjectToken, String rejected,
    String challenge) implements BusMessage {
  @Override
  public String toString() {
    return "RefreshCredentials[upstream=" + upstream + "]";
  }
}
