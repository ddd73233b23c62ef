package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.InboundKeys;
import dev.junction.bus.Introspect;
import dev.junction.bus.IntrospectReply;
import dev.junction.bus.KeySet;
import dev.junction.bus.KeysQuery;
import dev.junction.config.AuthOptions;
import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Names;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Authenticates MCP requests as an OAuth 2.1 resource server (MCP basic/authorization): bearer
 * JWTs checked against the issuer's keys (the OAuth verticle fetches and rotates them), opaque
 * tokens by introspection, API keys by their SHA-256; requests without a credential only where
 * {@code auth.unauthenticated: allow}. Answers 401 with a {@code WWW-Authenticate} challenge that
 * names the protected resource metadata (RFC 9728 5.1), and 403 {@code insufficient_scope}
 * (RFC 6750 3.1). Checked tokens are cached until they expire, so a client's repeated token is
 * verified once. Owned by its ingress context.
 */
final class Authenticator {
  private static final int CACHE_SIZE = 10_000;

  private record Verified(JsonObject claims, long until) {
  }

  private final Vertx vertx;
  private final Supplier<String> resource;

  // Owned by the ingress context; replaced by each new config version (configure).
  private JunctionConfig config;
  private AuthOptions auth;
  private JwtVerifier verifier;
  /** The tenant claim values of declared tenants' API keys, by the key's SHA-256. */
  private final Map<String, String> apiKeys = new HashMap<>();
  private boolean keepsTokens;
  /** Some credential is checked (tokens or API keys): a presented one must then be valid. */
  private boolean checks;
  private KeySet keys = KeySet.EMPTY;
  private final Map<String, Verified> verified = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  /** @param resource the gateway's resource URL (config, or the listen address) */
  Authenticator(Vertx vertx, JunctionConfig config, Supplier<String> resource) {
    this.vertx = vertx;
    this.resource = resource;
    configure(config);
  }

  /**
   * Takes a config version: API keys, tenants, scopes and audiences apply from the next request
   * (a removed key gets 401, a removed tenant 403). Checked tokens are checked again.
   */
  void configure(JunctionConfig next) {
    this.config = next;
    this.auth = next.auth();
    this.verifier = new JwtVerifier(auth.issuer(), auth.leewayMs(), auth.requireJwtType());
    apiKeys.clear();
    auth.apiKeys().forEach(k -> apiKeys.put(k.sha256(), k.tenant()));
    this.keepsTokens = next.upstreams().values().stream().anyMatch(u -> u.auth().usesClientToken());
    this.checks = auth.oauth() || !apiKeys.isEmpty();
    verified.clear();
  }

  /**
   * Warms the token check up (off the event loop), subscribes to key changes and asks for the
   * current keys; the gateway does not wait for them (an unreachable issuer must not stop it from
   * starting: tokens get 503 until keys arrive).
   */
  Future<Void> start() {
    if (!auth.oauth()) {
      return Future.succeededFuture();
    }
    var consumer = vertx.eventBus().<InboundKeys>localConsumer(Addresses.OAUTH_KEYS, m -> keys = m.body().keys());
    DeliveryOptions patient = new DeliveryOptions().setSendTimeout(120_000);
    return vertx.executeBlocking(JwtVerifier::warmUp, false).compose(warm -> consumer.completion())
        .onSuccess(v -> vertx.eventBus().<InboundKeys>request(Addresses.OAUTH_KEYS_QUERY, new KeysQuery(null), patient)
            .onSuccess(m -> {
              if (m.body().keys().fetchedAt() >= keys.fetchedAt()) {
                keys = m.body().keys();
              }
            }));
  }

  /** The request's identity, or a failed future with an {@link AuthFailure}. */
  Future<Identity> authenticate(HttpServerRequest req, Endpoint endpoint) {
    String key = req.getHeader(auth.apiKeyHeader());
    String authorization = req.getHeader("Authorization");
    String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).trim() : null;
    if (key != null || (bearer != null && apiKeys.containsKey(Names.sha256Hex(bearer)))) {
      String sha256 = Names.sha256Hex(key != null ? key : bearer);
      String tenant = apiKeys.get(sha256);
      return tenant == null ? Future.failedFuture(unauthorized(endpoint, "invalid_token", "unknown API key"))
          : admitted(tenant, null, sha256);
    }
    if (bearer != null && auth.oauth()) {
      return token(bearer, endpoint, true);
    }
    if (auth.unauthenticated() && !(checks && authorization != null)) {
      return Future.succeededFuture(new Identity(TenantKeys.of(req.headers(), config.identityHeaders()), null, null,
          null));
    }
    return Future.failedFuture(authorization == null
        ? unauthorized(endpoint, null, "credentials required")
        : unauthorized(endpoint, "invalid_token", "unsupported credentials"));
  }

  private Future<Identity> token(String token, Endpoint endpoint, boolean mayRefresh) {
    long now = System.currentTimeMillis();
    List<String> audiences = audiences(endpoint);
    String cacheKey = endpoint.path() + '\n' + token;
    Verified cached = verified.get(cacheKey);
    if (cached != null && cached.until() > now) {
      return identity(cached.claims(), token, endpoint);
    }
    if (!JwtVerifier.looksLikeJwt(token)) {
      return auth.introspection() ? introspect(token, endpoint, cacheKey)
          : Future.failedFuture(unauthorized(endpoint, "invalid_token", "malformed token"));
    }
    if (keys.size() == 0 && !mayRefresh) {
      return Future.failedFuture(new AuthFailure(JunctionError.AUTH_UNAVAILABLE, "the issuer's keys are not loaded",
          null));
    }
    JwtVerifier.Result r = verifier.verify(token, keys, audiences, now);
    if (r.problem() == JwtVerifier.Problem.UNKNOWN_KEY && mayRefresh) {
      // a new key id: the issuer may have rotated its keys
      return vertx.eventBus().<InboundKeys>request(Addresses.OAUTH_KEYS_QUERY, new KeysQuery(r.kid()))
          .map(Message::body).compose(k -> {
            keys = k.keys();
            return token(token, endpoint, false);
          });
    }
    if (!r.ok()) {
      if (keys.size() == 0) {
        return Future.failedFuture(new AuthFailure(JunctionError.AUTH_UNAVAILABLE, "the issuer's keys are not loaded",
            null));
      }
      return Future.failedFuture(unauthorized(endpoint, "invalid_token", describe(r.problem())));
    }
    long exp = r.claims().getLong("exp") * 1000;
    verified.put(cacheKey, new Verified(r.claims(), exp));
    return identity(r.claims(), token, endpoint);
  }

  private Future<Identity> introspect(String token, Endpoint endpoint, String cacheKey) {
    return vertx.eventBus().<IntrospectReply>request(Addresses.OAUTH_INTROSPECT, new Introspect(token))
        .map(Message::body)
        .transform(ar -> ar.failed() || ar.result().status() == IntrospectReply.Status.UNAVAILABLE
            ? Future.failedFuture(new AuthFailure(JunctionError.AUTH_UNAVAILABLE, "introspection failed", null))
            : Future.succeededFuture(ar.result()))
        .compose(i -> {
          JsonObject claims = i.claims();
          long now = System.currentTimeMillis();
          long exp = claims.getValue("exp") instanceof Number n ? n.longValue() * 1000
              : now + auth.introspectionCacheMs();
          if (!i.active() || exp <= now) {
            return Future.failedFuture(unauthorized(endpoint, "invalid_token", "token is not active"));
          }
          Object aud = claims.getValue("aud");
          List<?> auds = aud instanceof String s ? List.of(s) : aud instanceof JsonArray a ? a.getList() : List.of();
          if (aud != null && auds.stream().noneMatch(audiences(endpoint)::contains)) {
            return Future.failedFuture(unauthorized(endpoint, "invalid_token",
                describe(JwtVerifier.Problem.WRONG_AUDIENCE)));
          }
          verified.put(cacheKey, new Verified(claims, Math.min(exp, now + auth.introspectionCacheMs())));
          return identity(claims, token, endpoint);
        });
  }

  /** Scopes and tenant of checked claims. */
  private Future<Identity> identity(JsonObject claims, String token, Endpoint endpoint) {
    List<String> granted = scopes(claims);
    if (!granted.containsAll(auth.scopes())) {
      return Future.failedFuture(new AuthFailure(JunctionError.FORBIDDEN, "insufficient scope",
          challenge(endpoint, "insufficient_scope", "this endpoint needs scope " + String.join(" ", auth.scopes()))));
    }
    Object tenant = claims.getValue(auth.tenantClaim());
    if (tenant == null || tenant instanceof JsonObject || tenant instanceof JsonArray) {
      return Future.failedFuture(unauthorized(endpoint, "invalid_token",
          "the token has no " + auth.tenantClaim() + " claim"));
    }
    return admitted(String.valueOf(tenant), token, null);
  }

  private Future<Identity> admitted(String tenant, String token, String apiKey) {
    if (!auth.tenants().isEmpty() && !auth.tenants().containsKey(tenant)) {
      return Future.failedFuture(new AuthFailure(JunctionError.FORBIDDEN, "tenant not allowed", null));
    }
    String declared = auth.tenants().containsKey(tenant) ? tenant : null;
    return Future.succeededFuture(new Identity(Names.sha256Hex("verified\0" + tenant), declared,
        keepsTokens ? token : null, apiKey));
  }

  private static List<String> scopes(JsonObject claims) {
    Object scope = claims.getValue("scope");
    Object scp = claims.getValue("scp");
    List<String> out = new ArrayList<>();
    for (Object v : new Object[] {scope, scp}) {
      if (v instanceof String s) {
        out.addAll(List.of(s.trim().split("\\s+")));
      } else if (v instanceof JsonArray a) {
        a.forEach(x -> out.add(String.valueOf(x)));
      }
    }
    return out;
  }

  /** The audiences a token for this endpoint may name: the resource, the endpoint's URL, and configured ones. */
  private List<String> audiences(Endpoint endpoint) {
    List<String> out = new ArrayList<>(auth.audiences());
    out.add(resource.get());
    out.add(resource.get() + "/");
    out.add(resource.get() + endpoint.path());
    return out;
  }

  /** Where the endpoint's protected resource metadata is (RFC 9728 3.1, path-inserted). */
  String metadataUrl(Endpoint endpoint) {
    return resource.get() + "/.well-known/oauth-protected-resource" + endpoint.path();
  }

  private AuthFailure unauthorized(Endpoint endpoint, String error, String description) {
    return new AuthFailure(JunctionError.UNAUTHENTICATED, description, challenge(endpoint, error, description));
  }

  private String challenge(Endpoint endpoint, String error, String description) {
    if (!auth.oauth()) {
      return error == null ? "Bearer" : "Bearer error=\"" + error + "\", error_description=\"" + description + "\"";
    }
    StringBuilder c = new StringBuilder("Bearer resource_metadata=\"").append(metadataUrl(endpoint)).append('"');
    if (!auth.scopes().isEmpty()) {
      c.append(", scope=\"").append(String.join(" ", auth.scopes())).append('"');
    }
    if (error != null) {
      c.append(", error=\"").append(error).append("\", error_description=\"").append(description).append('"');
    }
    return c.toString();
  }

  private static String describe(JwtVerifier.Problem problem) {
    return switch (problem) {
      case MALFORMED -> "malformed token";
      case UNSUPPORTED_CRITICAL_HEADER -> "uses a critical header extension that is not supported";
      case WRONG_TYPE -> "not a JWT access token (typ must be at+jwt)";
      case UNKNOWN_KEY -> "signed with an unknown key";
      case BAD_SIGNATURE -> "bad signature";
      case WRONG_ISSUER -> "issued by another issuer";
      case WRONG_AUDIENCE -> "issued for another resource";
      case EXPIRED -> "expired";
      case NOT_YET_VALID -> "not yet valid";
    };
  }
}
