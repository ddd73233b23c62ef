package dev.junction.config;

import static dev.junction.config.Key.Unit.MILLIS;

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
    @Key(pattern = ConfigLoader.URL, must = "be an http:// or https:// URL", doc = "The gateway's public URL"
        + " (the token audience, RFC 8707 / RFC 9728); default: from the listen address.") String resource,
    @Key(name = "oauth", value = "null", doc = "Bearer tokens of an OAuth 2.1 authorization server.") OAuth jwt,
    @Key(doc = "API keys, stored as SHA-256, each naming its tenant.") List<ApiKey> apiKeys,
    @Key(value = "x-api-key", doc = "The header an API key may come in (it may also come as a bearer token).")
    String apiKeyHeader,
    @Key(doc = "Declared tenants by name; when there are any, other verified identities are turned away.")
    Map<String, Tenant> tenants) implements Binder.Checked {

  /** Whether requests without credentials are let in. */
  public enum Access { ALLOW, REJECT }

  public AuthOptions {
    resource = resource != null && resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
    apiKeyHeader = apiKeyHeader == null ? null : apiKeyHeader.toLowerCase(Locale.ROOT);
  }

  /** The {@code auth.oauth} section. */
  public record OAuth(
      @Key(pattern = ConfigLoader.URL, must = "be an http:// or https:// URL", doc = "The authorization server"
          + " whose tokens are accepted; its metadata and JWKS are found from it.") String issuer,
      @Key(doc = "Accepted aud values besides the resource URL and its endpoint URLs.") List<String> audiences,
      @Key(doc = "Scopes every token must carry (else 403 insufficient_scope).") List<String> scopes,
      @Key(value = "sub", doc = "The claim that names the tenant.") String tenantClaim,
      @Key(name = "jwksRefresh", value = "15m", unit = MILLIS, doc = "Keys are fetched again this often.")
      long jwksRefreshMs,
      @Key(name = "jwksMinRefresh", value = "30s", unit = MILLIS, min = 0, must = "be a duration such as 30s",
          doc = "A token naming an unknown key fetches the keys again, at most this often.") long jwksMinRefreshMs,
      @Key(name = "leeway", value = "30s", unit = MILLIS, min = 0, must = "be a duration such as 30s",
          doc = "Clock skew allowed on exp and nbf.") long leewayMs,
      @Key(value = "false", doc = "A JWT's header typ must be at+jwt or application/at+jwt (RFC 9068), so that ID"
          + " tokens are refused.") boolean requireJwtType,
      @Key(value = "null", doc = "Opaque tokens are checked at the introspection endpoint (RFC 7662).")
      Introspection introspection) implements Binder.Checked {
    @Override
    public void check(Binder.Section s) {
      if (!s.has("issuer")) {
        s.error("issuer", "required (the authorization server whose tokens are accepted)");
      }
    }
  }

  /** The {@code auth.oauth.introspection} section. */
  public record Introspection(
      @Key(pattern = ConfigLoader.URL, must = "be an http:// or https:// URL",
          doc = "The endpoint; default: from the issuer's metadata.") String url,
      @Key(doc = "The gateway's client id at the endpoint.") String clientId,
      @Key(required = true, secret = true, doc = "The gateway's client secret.") String clientSecret,
      @Key(value = "60s", unit = MILLIS, doc = "How long an answer is reused (never past the token's exp).")
      long cache) implements Binder.Checked {
    @Override
    public void check(Binder.Section s) {
      if (clientId == null) {
        s.error("clientId", "required (the gateway authenticates to the introspection endpoint)");
      }
    }
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
   */
  public record Tenant(String name,
      @Key(doc = "The upstreams it may use; empty: all.") List<String> upstreams,
      @Key(doc = "Its tool filter, as for virtual servers.") VirtualServerOptions.Tools tools,
      @Key(doc = "Its own token bucket instead of the top-level rateLimit.") RateLimit rateLimit) {
    public List<String> allow() {
      return tools.allow();
    }

    public List<String> deny() {
      return tools.deny();
    }
  }

  @Override
  public void check(Binder.Section s) {
    if (s.present() && access != Access.ALLOW && jwt == null && apiKeys.isEmpty()) {
      s.error("", "no way for clients to authenticate. Configure auth.oauth or auth.apiKeys, or set"
          + " auth.unauthenticated: allow");
    }
  }

  /** Requests without credentials are let in, their tenant taken from identity headers. */
  public boolean unauthenticated() {
    return access == Access.ALLOW;
  }

  /** True when bearer tokens are checked (an issuer is configured). */
  public boolean oauth() {
    return jwt != null;
  }

  public String issuer() {
    return jwt == null ? null : jwt.issuer();
  }

  public List<String> audiences() {
    return jwt == null ? List.of() : jwt.audiences();
  }

  public List<String> scopes() {
    return jwt == null ? List.of() : jwt.scopes();
  }

  public String tenantClaim() {
    return jwt.tenantClaim();
  }

  public long jwksRefreshMs() {
    return jwt.jwksRefreshMs();
  }

  public long jwksMinRefreshMs() {
    return jwt.jwksMinRefreshMs();
  }

  public long leewayMs() {
    return jwt == null ? 0 : jwt.leewayMs();
  }

  public boolean requireJwtType() {
    return jwt != null && jwt.requireJwtType();
  }

  /** Opaque (non-JWT) tokens are checked at the issuer's introspection endpoint (RFC 7662). */
  public boolean introspection() {
    return jwt != null && jwt.introspection() != null;
  }

  public String introspectionUrl() {
    return introspection() ? jwt.introspection().url() : null;
  }

  public String introspectionClientId() {
    return introspection() ? jwt.introspection().clientId() : null;
  }

  /** A secret: never logged. */
  public String introspectionClientSecret() {
    return introspection() ? jwt.introspection().clientSecret() : null;
  }

  public long introspectionCacheMs() {
    return introspection() ? jwt.introspection().cache() : 0;
  }
}
