package dev.junction.config;

import static dev.junction.config.ConfigReader.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and checks the {@code auth:} section. */
final class AuthSection {
  static final Set<String> KEYS = Set.of("unauthenticated", "resource", "oauth", "apiKeys", "apiKeyHeader", "tenants",
      DeploySection.ALLOW_REMOTE);
  private static final Set<String> OAUTH_KEYS = Set.of("issuer", "audiences", "scopes", "tenantClaim", "jwksRefresh",
      "jwksMinRefresh", "leeway", "introspection", "requireJwtType");
  private static final Set<String> INTROSPECTION_KEYS = Set.of("url", "clientId", "clientSecret", "cache");
  private static final Set<String> KEY_KEYS = Set.of("sha256", "tenant");
  private static final Set<String> TENANT_KEYS = Set.of("upstreams", "tools", RateLimitSection.KEY);

  private AuthSection() {
  }

  static AuthOptions read(Object node, Set<String> upstreams, List<String> errors) {
    AuthOptions o = new AuthOptions();
    if (node == null) {
      errors.add("auth: required. Configure auth.oauth or auth.apiKeys, or set auth.unauthenticated: allow to take"
          + " tenants from identity headers without checking them (development, or behind an authenticating proxy)");
      return o;
    }
    Map<String, Object> m = map(node, "auth", errors);
    unknownKeys(m, KEYS, "auth", errors);
    if (m.containsKey("unauthenticated")) {
      String mode = string(m.get("unauthenticated"), "auth.unauthenticated", errors);
      if (!"allow".equals(mode) && !"reject".equals(mode)) {
        errors.add("auth.unauthenticated: must be allow or reject; got '" + mode + "'");
      }
      o.unauthenticated = "allow".equals(mode);
    }
    if (m.containsKey("resource")) {
      o.resource = url(m.get("resource"), "auth.resource", errors);
      if (o.resource != null && o.resource.endsWith("/")) {
        o.resource = o.resource.substring(0, o.resource.length() - 1);
      }
    }
    if (m.containsKey("apiKeyHeader")) {
      String h = string(m.get("apiKeyHeader"), "auth.apiKeyHeader", errors);
      o.apiKeyHeader = h == null ? o.apiKeyHeader : h.toLowerCase(java.util.Locale.ROOT);
    }
    oauth(m.get("oauth"), o, errors);
    apiKeys(m.get("apiKeys"), o, errors);
    tenants(m.get("tenants"), o, upstreams, errors);
    if (!o.unauthenticated && !o.oauth() && o.apiKeys.isEmpty()) {
      errors.add("auth: no way for clients to authenticate. Configure auth.oauth or auth.apiKeys, or set"
          + " auth.unauthenticated: allow");
    }
    return o;
  }

  private static void oauth(Object node, AuthOptions o, List<String> errors) {
    if (node == null) {
      return;
    }
    Map<String, Object> m = map(node, "auth.oauth", errors);
    unknownKeys(m, OAUTH_KEYS, "auth.oauth", errors);
    o.issuer = url(m.get("issuer"), "auth.oauth.issuer", errors);
    if (m.get("issuer") == null) {
      errors.add("auth.oauth.issuer: required (the authorization server whose tokens are accepted)");
    }
    if (m.containsKey("audiences")) {
      o.audiences = strings(m.get("audiences"), "auth.oauth.audiences", errors);
    }
    if (m.containsKey("scopes")) {
      o.scopes = strings(m.get("scopes"), "auth.oauth.scopes", errors);
    }
    if (m.containsKey("tenantClaim")) {
      o.tenantClaim = string(m.get("tenantClaim"), "auth.oauth.tenantClaim", errors);
    }
    duration(m, "jwksRefresh", "auth.oauth", errors, ms -> o.jwksRefreshMs = ms);
    durationOrZero(m, "jwksMinRefresh", "auth.oauth", null, errors, ms -> o.jwksMinRefreshMs = ms);
    durationOrZero(m, "leeway", "auth.oauth", null, errors, ms -> o.leewayMs = ms);
    flag(m, "requireJwtType", "auth.oauth", errors, b -> o.requireJwtType = b);
    if (m.get("introspection") != null) {
      Map<String, Object> i = map(m.get("introspection"), "auth.oauth.introspection", errors);
      unknownKeys(i, INTROSPECTION_KEYS, "auth.oauth.introspection", errors);
      o.introspection = true;
      if (i.containsKey("url")) {
        o.introspectionUrl = url(i.get("url"), "auth.oauth.introspection.url", errors);
      }
      o.introspectionClientId = string(i.get("clientId"), "auth.oauth.introspection.clientId", errors);
      o.introspectionClientSecret = string(i.get("clientSecret"), "auth.oauth.introspection.clientSecret", errors);
      if (o.introspectionClientId == null) {
        errors.add("auth.oauth.introspection.clientId: required (the gateway authenticates to the introspection endpoint)");
      }
      duration(i, "cache", "auth.oauth.introspection", errors, ms -> o.introspectionCacheMs = ms);
    }
  }

  private static void apiKeys(Object node, AuthOptions o, List<String> errors) {
    if (node == null) {
      return;
    }
    if (!(node instanceof List<?> list)) {
      errors.add("auth.apiKeys: must be a list of {sha256, tenant}");
      return;
    }
    List<AuthOptions.ApiKey> keys = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "auth.apiKeys[" + i + "]";
      Map<String, Object> k = map(list.get(i), path, errors);
      unknownKeys(k, KEY_KEYS, path, errors);
      String hash = string(k.get("sha256"), path + ".sha256", errors);
      String tenant = string(k.get("tenant"), path + ".tenant", errors);
      if (hash == null || !hash.matches("[0-9a-fA-F]{64}")) {
        errors.add(path + ".sha256: must be the key's SHA-256 as 64 hex digits (never the key itself)");
      } else if (tenant == null) {
        errors.add(path + ".tenant: required");
      } else {
        keys.add(new AuthOptions.ApiKey(hash.toLowerCase(java.util.Locale.ROOT), tenant));
      }
    }
    o.apiKeys = List.copyOf(keys);
  }

  private static void tenants(Object node, AuthOptions o, Set<String> upstreams, List<String> errors) {
    Map<String, Object> m = map(node, "auth.tenants", errors);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String path = "auth.tenants." + e.getKey();
      Map<String, Object> t = map(e.getValue(), path, errors);
      unknownKeys(t, TENANT_KEYS, path, errors);
      List<String> allowed = t.containsKey("upstreams") ? strings(t.get("upstreams"), path + ".upstreams", errors) : List.of();
      for (int i = 0; i < allowed.size(); i++) {
        if (!upstreams.contains(allowed.get(i))) {
          errors.add(path + ".upstreams[" + i + "]: no upstream named '" + allowed.get(i) + "'");
        }
      }
      Map<String, Object> tools = map(t.get("tools"), path + ".tools", errors);
      unknownKeys(tools, Set.of("allow", "deny"), path + ".tools", errors);
      List<String> allow = tools.containsKey("allow") ? strings(tools.get("allow"), path + ".tools.allow", errors) : List.of();
      List<String> deny = tools.containsKey("deny") ? strings(tools.get("deny"), path + ".tools.deny", errors) : List.of();
      RateLimit limit = RateLimitSection.tenant(t, path, errors);
      o.tenants.put(e.getKey(), new AuthOptions.Tenant(e.getKey(), allowed, allow, deny, limit));
    }
  }

  private static String url(Object v, String path, List<String> errors) {
    String s = string(v, path, errors);
    if (s != null && !s.matches("(?i)https?://[^/\\s]+.*")) {
      errors.add(path + ": must be an http:// or https:// URL");
      return null;
    }
    return s;
  }
}
