package dev.junction.config;

import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Binder;
import dev.junction.binding.Key;
import dev.junction.binding.Show;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How clients authenticate, under {@code auth:}: an OAuth 2.1 resource server (JWTs checked
 * against the issuer's keys, opaque tokens by introspection), API keys, or, only where it is set
 * explicitly, no authentication (tenants then come from identity headers). Also the declared
 * tenants and what each may use. Deeply immutable.
 */
public record AuthOptions(
    @Key(name = "unauthenticated", value = "reject", doc = "allow: requests without credentials get in, their"
        + " tenant taken from identity headers.") Access access,
    @Key(pattern = ConfigLoader.URL, must = "be an http:// or https:// URL", restart = true, doc = "The gateway's"
        + " public URL (the token audience, RFC 8707 / RFC 9728); default: from the listen address.") String resource,
    @Key(name = "oauth.issuer", pattern = ConfigLoader.URL, must = "be an http:// or https:// URL", restart = true,
        doc = "The authorization server whose tokens are accepted; its metadata and JWKS are found from it.")
    String issuer,
    @Key(name = "oauth.audiences", doc = "Accepted aud values besides the resource URL and its endpoint URLs.")
    List<String> audiences,
    @Key(name = "oauth.scopes", doc = "Scopes every token must carry (else 403 insufficient_scope).")
    List<String> scopes,
    @Key(name = "oauth.tenantClaim", value = "sub", doc = "The claim that names the tenant.") String tenantClaim,
    @Key(name = "oauth.jwksRefresh", value = "15m", unit = MILLIS, doc = "Keys are fetched again this often.")
    long jwksRefreshMs,
    @Key(name = "oauth.jwksMinRefresh", value = "30s", unit = MILLIS, min = 0, must = "be a duration such as 30s",
        doc = "A token naming an unknown key fetches the keys again, at most this often.") long jwksMinRefreshMs,
    @Key(name = "oauth.leeway", value = "30s", unit = MILLIS, min = 0, must = "be a duration such as 30s",
        doc = "Clock skew allowed on exp and nbf.") long leewayMs,
    @Key(name = "oauth.requireJwtType", value = "false", doc = "A JWT's header typ must be at+jwt or"
        + " application/at+jwt (RFC 9068), so that ID tokens are refused.") boolean requireJwtType,
    @Key(name = "oauth.introspection.url", pattern = ConfigLoader.URL, must = "be an http:// or https:// URL",
        doc = "Opaque tokens are checked here (RFC 7662); default: from the issuer's metadata.")
    String introspectionUrl,
    @Key(name = "oauth.introspection.clientId", doc = "The gateway's client id at the introspection endpoint.")
    String introspectionClientId,
    @Key(name = "oauth.introspection.clientSecret", secret = true, doc = "The gateway's client secret there.")
    String introspectionClientSecret,
    @Key(name = "oauth.introspection.cache", value = "60s", unit = MILLIS, doc = "How long an answer is reused"
        + " (never past the token's exp).") long introspectionCacheMs,
    @Key(doc = "API keys, stored as SHA-256, each naming its tenant.") List<ApiKey> apiKeys,
    @Key(value = "x-api-key", doc = "The header an API key may come in (it may also come as a bearer token).")
    String apiKeyHeader,
    @Key(doc = "Declared tenants by name; when there are any, other verified identities are turned away.")
    Map<String, Tenant> tenants,
    @Key(value = "false", doc = "unauthenticated: allow on a listen host that is not loopback is refused unless"
        + " this says that an authenticating proxy stands in front.") boolean allowRemoteUnauthenticated)
    implements Binder.Checked {

  /** Whether requests without credentials are let in. */
  public enum Access { ALLOW, REJECT }

  public AuthOptions {
    resource = resource != null && resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
    apiKeyHeader = apiKeyHeader.toLowerCase(Locale.ROOT);
  }

  /** One API key: its SHA-256 (hex) and the tenant it belongs to; the key itself is never stored. */
  public record ApiKey(
      @Key(required = true, secret = true, pattern = "[0-9a-fA-F]{64}", doc = "The key's SHA-256 as 64 hex digits",
          must = "be the key's SHA-256 as 64 hex digits (never the key itself)") String sha256,
      @Key(required = true, doc = "The tenant the key belongs to.") String tenant) {
    public ApiKey {
      sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A declared tenant: the upstreams it may use (empty: all) and its tool filter, as for virtual
   * servers; {@code rateLimit} is its own token bucket, or null for the top-level {@code rateLimit}.
   *
   * @param name its name
   */
  public record Tenant(String name,
      @Key(doc = "The upstreams it may use; empty: all.") List<String> upstreams,
      @Key(name = "tools.allow", doc = "Globs over exposed tool names; empty: every tool.") List<String> allow,
      @Key(name = "tools.deny", doc = "Globs over exposed tool names hidden even when allowed.") List<String> deny,
      @Key(doc = "Its own token bucket instead of the top-level rateLimit.") RateLimit rateLimit) {
  }

  @Override
  public void check(Binder.Section s) {
    if (!s.node().isMissingNode() && access != Access.ALLOW && !oauth() && apiKeys.isEmpty() && !s.has("oauth")) {
      s.error("", "no way for clients to authenticate. Configure auth.oauth or auth.apiKeys, or set"
          + " auth.unauthenticated: allow");
    }
    if (s.has("oauth") && !s.has("oauth.issuer")) {
      s.error("oauth.issuer", "required (the authorization server whose tokens are accepted)");
    }
    if (s.has("oauth.introspection") && !s.has("oauth.introspection.clientId")) {
      s.error("oauth.introspection.clientId", "required (the gateway authenticates to the introspection endpoint)");
    }
    if (s.has("oauth.introspection") && !s.has("oauth.introspection.clientSecret")) {
      s.error("oauth.introspection.clientSecret", "is required");
    }
  }

  /** Requests without credentials are let in, their tenant taken from identity headers. */
  public boolean unauthenticated() {
    return access == Access.ALLOW;
  }

  /** True when bearer tokens are checked (an issuer is configured). */
  public boolean oauth() {
    return issuer != null;
  }

  /** Opaque (non-JWT) tokens are checked at the issuer's introspection endpoint (RFC 7662). */
  public boolean introspection() {
    return introspectionClientId != null;
  }

  /** The values as the file writes them, secrets masked (a record's own toString would show them). */
  @Override
  public String toString() {
    return Show.show(this, null).toString();
  }
}
