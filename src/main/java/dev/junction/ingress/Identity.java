package dev.junction.ingress;

/**
 * Who a request comes from. Verified identities (a token, an API key) name their tenant;
 * unauthenticated ones (where config allows them) have only the hash of their identity headers.
 *
 * @param tenantKey the pool's tenant key: SHA-256 of the verified tenant name, or of the identity headers
 * @param tenant the declared tenant whose policy applies, or null
 * @param token the client's verified bearer token, kept only for upstreams that exchange it or
 *     pass it on; a secret, never logged
 * @param apiKey the SHA-256 (hex) of the API key that authenticated the request, as the config
 *     lists it; null for tokens and unauthenticated requests
 */
public record Identity(String tenantKey, String tenant, String token, String apiKey) {
  @Override
  public String toString() {
    return "Identity[tenant=" + tenant + "]";
  }
}
