package dev.junction.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How clients authenticate, under {@code auth:}: an OAuth 2.1 resource server (JWTs checked
 * against the issuer's keys, opaque tokens by introspection), API keys, or, only where it is set
 * explicitly, no authentication (tenants then come from identity headers). Also the declared
 * tenants and what each may use. Read-only once the gateway starts.
 */
public final class AuthOptions {
  /** How long a JWKS is used before it is fetched again. */
  public static final long DEFAULT_JWKS_REFRESH_MS = 15 * 60_000;
  /** A token with an unknown key id fetches the JWKS again, at most this often. */
  public static final long DEFAULT_JWKS_MIN_REFRESH_MS = 30_000;
  /** Clock skew allowed on exp and nbf. */
  public static final long DEFAULT_LEEWAY_MS = 30_000;
  /** How long an introspection answer is reused (never past the token's exp). */
  public static final long DEFAULT_INTROSPECTION_CACHE_MS = 60_000;

  /** One API key: its SHA-256 (hex) and the tenant it belongs to; the key itself is never stored. */
  public record ApiKey(String sha256, String tenant) {
  }

  /**
   * A declared tenant: the upstreams it may use (empty: all) and its tool filter, as for virtual
   * servers; {@code rateLimit} is its own token bucket, or null for the top-level {@code rateLimit}.
   */
  public record Tenant(String name, List<String> upstreams, List<String> allow, List<String> deny,
      RateLimit rateLimit) {
    public Tenant {
      upstreams = List.copyOf(upstreams);
      allow = List.copyOf(allow);
      deny = List.copyOf(deny);
    }
  }

  boolean unauthenticated;
  String resource;
  String issuer;
  List<String> audiences = List.of();
  List<String> scopes = List.of();
  String tenantClaim = "sub";
  long jwksRefreshMs = DEFAULT_JWKS_REFRESH_MS;
  long jwksMinRefreshMs = DEFAULT_JWKS_MIN_REFRESH_MS;
  long leewayMs = DEFAULT_LEEWAY_MS;
  boolean requireJwtType;
  boolean introspection;
  String introspectionUrl;
  String introspectionClientId;
  String introspectionClientSecret;
  long introspectionCacheMs = DEFAULT_INTROSPECTION_CACHE_MS;
  String apiKeyHeader = "x-api-key";
  List<ApiKey> apiKeys = List.of();
  final Map<String, Tenant> tenants = new LinkedHashMap<>();

  /** Requests without credentials are let in, their tenant taken from identity headers. */
  public boolean unauthenticated() {
    return unauthenticated;
  }

  /** True when bearer tokens are checked (an issuer is configured). */
  public boolean oauth() {
    return issuer != null;
  }

  /** The gateway's resource URL (RFC 8707 audience, RFC 9728 {@code resource}); null: from the listen address. */
  public String resource() {
    return resource;
  }

  public String issuer() {
    return issuer;
  }

  /** Accepted {@code aud} values besides the resource URL and its endpoint URLs. */
  public List<String> audiences() {
    return audiences;
  }

  /** Scopes every token must carry; also announced in challenges and metadata. */
  public List<String> scopes() {
    return scopes;
  }

  /** The claim whose value names the tenant. */
  public String tenantClaim() {
    return tenantClaim;
  }

  public long jwksRefreshMs() {
    return jwksRefreshMs;
  }

  public long jwksMinRefreshMs() {
    return jwksMinRefreshMs;
  }

  public long leewayMs() {
    return leewayMs;
  }

  /**
   * A JWT must say it is an access token: header {@code typ} {@code at+jwt} or
   * {@code application/at+jwt} (RFC 9068 2.1), so that an ID token of the same issuer is refused.
   */
  public boolean requireJwtType() {
    return requireJwtType;
  }

  /** Opaque (non-JWT) tokens are checked at the issuer's introspection endpoint (RFC 7662). */
  public boolean introspection() {
    return introspection;
  }

  /** The introspection endpoint; null: from the issuer's metadata. */
  public String introspectionUrl() {
    return introspectionUrl;
  }

  public String introspectionClientId() {
    return introspectionClientId;
  }

  /** A secret: never logged. */
  public String introspectionClientSecret() {
    return introspectionClientSecret;
  }

  public long introspectionCacheMs() {
    return introspectionCacheMs;
  }

  /** The header an API key may come in (it may also come as a bearer token). */
  public String apiKeyHeader() {
    return apiKeyHeader;
  }

  public List<ApiKey> apiKeys() {
    return apiKeys;
  }

  /** Declared tenants by name; when there are any, other verified identities are turned away. */
  public Map<String, Tenant> tenants() {
    return java.util.Collections.unmodifiableMap(tenants);
  }

  /** The options as JSON, secrets masked and API keys counted. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("unauthenticated", unauthenticated ? "allow" : "reject");
    if (resource != null) {
      json.put("resource", resource);
    }
    if (issuer != null) {
      JsonObject oauth = new JsonObject().put("issuer", issuer).put("audiences", new JsonArray(audiences))
          .put("scopes", new JsonArray(scopes)).put("tenantClaim", tenantClaim)
          .put("jwksRefresh", Durations.format(jwksRefreshMs)).put("leeway", Durations.format(leewayMs))
          .put("requireJwtType", requireJwtType);
      if (introspection) {
        oauth.put("introspection", new JsonObject().put("url", introspectionUrl).put("clientId", introspectionClientId)
            .put("clientSecret", introspectionClientSecret == null ? null : "***"));
      }
      json.put("oauth", oauth);
    }
    json.put("apiKeys", apiKeys.size());
    JsonObject t = new JsonObject();
    tenants.forEach((name, tenant) -> t.put(name, new JsonObject().put("upstreams", new JsonArray(tenant.upstreams()))
        .put("tools", new JsonObject().put("allow", new JsonArray(tenant.allow()))
            .put("deny", new JsonArray(tenant.deny())))
        .put("rateLimit", tenant.rateLimit() == null ? null : tenant.rateLimit().toString())));
    return json.put("tenants", t);
  }
}
