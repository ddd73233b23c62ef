package dev.junction.oauth;

import dev.junction.bus.Addresses;
import dev.junction.bus.Credentials;
import dev.junction.bus.CredentialsChanged;
import dev.junction.bus.RefreshCredentials;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamAuthOptions;
import dev.junction.config.UpstreamOptions;
import dev.junction.routing.Names;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream access tokens for every {@code auth} mode: the client credentials grant, a refresh
 * token, token exchange (RFC 8693, per tenant), and passthrough. Tokens are cached and renewed
 * before they expire, one fetch at a time; a renewed token is published, so shards move new
 * calls to sessions with it. Where no token endpoint is configured, it is discovered from the
 * upstream's protected resource metadata (RFC 9728) and its authorization server's metadata
 * (RFC 8414); where configured, the gateway registers as a client (RFC 7591) and registers again
 * after {@code invalid_client}. Owned by the OAuth verticle's context.
 */
final class UpstreamTokens {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamTokens.class);
  private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
  /** A token answer without expires_in is taken to last this long. */
  private static final long DEFAULT_LIFETIME_MS = 3_600_000;

  /** Where and as whom tokens are asked for. Client secrets are secrets: never logged. */
  record Client(String tokenUrl, String clientId, String clientSecret, String registrationUrl, String resource,
      boolean registered) {
    @Override
    public String toString() {
      return "Client[tokenUrl=" + tokenUrl + ", clientId=" + clientId + "]";
    }
  }

  private final Vertx vertx;
  private final Http http;
  // replaced by each new config version (configure), on the OAuth context
  private JunctionConfig config;
  private final Function<String, Map<String, String>> staticHeaders;
  private final Map<String, TokenSource> sources = new HashMap<>();
  private final Map<String, Future<Client>> clients = new HashMap<>();
  private final Map<String, String> refreshTokens = new HashMap<>();

  /** @param staticHeaders an upstream's configured headers with those read from files */
  UpstreamTokens(Vertx vertx, Http http, JunctionConfig config, Function<String, Map<String, String>> staticHeaders) {
    this.vertx = vertx;
    this.http = http;
    this.config = config;
    this.staticHeaders = staticHeaders;
    config.upstreams().values().stream().filter(u -> u.auth().mode() == UpstreamAuthOptions.Mode.REFRESH_TOKEN)
        .forEach(u -> refreshTokens.put(u.name(), u.auth().refreshToken()));
  }

  /**
   * Takes a config version: the tokens, registered clients and refresh tokens of upstreams it
   * removed or changed are forgotten, so the next session asks afresh with the new settings.
   */
  void configure(JunctionConfig next, List<String> stale) {
    config = next;
    for (String upstream : stale) {
      sources.keySet().removeIf(k -> k.equals(upstream) || k.startsWith(upstream + '|'));
      clients.remove(upstream);
      refreshTokens.remove(upstream);
      UpstreamOptions u = next.upstreams().get(upstream);
      if (u != null && u.auth().mode() == UpstreamAuthOptions.Mode.REFRESH_TOKEN) {
        refreshTokens.put(upstream, u.auth().refreshToken());
      }
    }
    next.upstreams().values().stream().filter(u -> u.auth().mode() == UpstreamAuthOptions.Mode.REFRESH_TOKEN)
        .forEach(u -> refreshTokens.putIfAbsent(u.name(), u.auth().refreshToken()));
  }

  /** The headers to open a session with. */
  Future<Credentials> credentials(String upstream, String tenant, String subjectToken) {
    UpstreamOptions u = config.upstreams().get(upstream);
    UpstreamAuthOptions auth = u.auth();
    return switch (auth.mode()) {
      case HEADERS -> Future.succeededFuture(new Credentials(staticHeaders.apply(upstream)));
      case PASSTHROUGH -> subjectToken == null ? Future.failedFuture("no client token to pass through")
          : Future.succeededFuture(bearer(upstream, subjectToken));
      case TOKEN_EXCHANGE -> subjectToken == null ? Future.failedFuture("no client token to exchange")
          : source(upstream, tenant).get(auth.refreshBeforeMs(), () -> exchange(u, subjectToken))
              .map(t -> bearer(upstream, expiring(u, tenant, t)));
      default -> {
        TokenSource source = source(upstream, null);
        if (auth.tokenUrl() == null && !clients.containsKey(upstream) && source.current() == null) {
          // nothing known yet about where tokens come from: the first request goes without one,
          // and the upstream's 401 says where its metadata is (MCP basic/authorization)
          yield Future.succeededFuture(new Credentials(staticHeaders.apply(upstream)));
        }
        yield source.get(auth.refreshBeforeMs(), () -> grant(u, null)).map(t -> bearer(upstream, scheduled(u, t)));
      }
    };
  }

  /**
   * The upstream refused {@code rejected} with 401: a new token once (concurrent refusals of the
   * same token share the renewal), published to the shards.
   */
  Future<Credentials> refresh(RefreshCredentials r) {
    UpstreamOptions u = config.upstreams().get(r.upstream());
    UpstreamAuthOptions auth = u.auth();
    if (auth.mode() == UpstreamAuthOptions.Mode.HEADERS || auth.mode() == UpstreamAuthOptions.Mode.PASSTHROUGH) {
      return credentials(r.upstream(), r.tenantKey(), r.subjectToken()); // nothing the gateway can renew
    }
    boolean perTenant = auth.mode() == UpstreamAuthOptions.Mode.TOKEN_EXCHANGE;
    TokenSource source = source(r.upstream(), perTenant ? r.tenantKey() : null);
    TokenSource.Token current = source.current();
    boolean stale = current == null || Names.sha256Hex("Bearer " + current.value()).equals(r.rejected());
    if (!stale) {
      return credentials(r.upstream(), r.tenantKey(), r.subjectToken()); // already renewed by another call
    }
    if (auth.tokenUrl() == null && r.challenge() != null) {
      clients.remove(r.upstream()); // the upstream said where its metadata is: discover again
    }
    Future<TokenSource.Token> renewed = perTenant
        ? (r.subjectToken() == null ? Future.failedFuture("no client token to exchange")
            : source.renew(() -> exchange(u, r.subjectToken())))
        : source.renew(() -> grant(u, r.challenge()));
    return renewed.map(t -> {
      LOG.info("upstream {}: token renewed after a 401", u.name());
      vertx.eventBus().publish(Addresses.CREDENTIALS_CHANGED, new CredentialsChanged(u.name(),
          perTenant ? r.tenantKey() : null));
      return bearer(u.name(), perTenant ? t.value() : scheduled(u, t));
    });
  }

  /** Forgets per-tenant tokens that have expired, so tenant churn cannot grow the cache. */
  void sweep() {
    long now = System.currentTimeMillis();
    sources.entrySet().removeIf(e -> {
      boolean gone = e.getKey().indexOf('|') > 0 && e.getValue().stale(now);
      if (gone) {
        e.getValue().cancel(vertx);
      }
      return gone;
    });
  }

  void stop() {
    sources.values().forEach(s -> s.cancel(vertx));
  }

  private TokenSource source(String upstream, String tenant) {
    return sources.computeIfAbsent(tenant == null ? upstream : upstream + '|' + tenant, k -> new TokenSource());
  }

  private Credentials bearer(String upstream, String token) {
    Map<String, String> headers = new LinkedHashMap<>(staticHeaders.apply(upstream));
    headers.put("Authorization", "Bearer " + token);
    return new Credentials(headers);
  }

  /** Renews the gateway's own token of an upstream ahead of its expiry, and publishes the new one. */
  private String scheduled(UpstreamOptions u, TokenSource.Token token) {
    TokenSource source = source(u.name(), null);
    source.whenDue(vertx, token, u.auth().refreshBeforeMs(), () -> source.renew(() -> grant(u, null))
        .onSuccess(fresh -> {
      LOG.info("upstream {}: token renewed before it expired", u.name());
      vertx.eventBus().publish(Addresses.CREDENTIALS_CHANGED, new CredentialsChanged(u.name(), null));
      scheduled(u, fresh);
    }).onFailure(err -> LOG.warn("upstream {}: token renewal failed ({})", u.name(), err.getMessage())));
    return token.value();
  }


  /**
   * A tenant's exchanged token: shortly before it expires the shards are told, so the tenant's
   * next call exchanges its latest token for a new one (the gateway never keeps client tokens
   * around to exchange on its own).
   */
  private String expiring(UpstreamOptions u, String tenant, TokenSource.Token token) {
    source(u.name(), tenant).whenDue(vertx, token, u.auth().refreshBeforeMs(),
        () -> vertx.eventBus().publish(Addresses.CREDENTIALS_CHANGED, new CredentialsChanged(u.name(), tenant)));
    return token.value();
  }


  /**
   * The client credentials or refresh token grant; a registered client that is no longer known
   * registers again once.
   */
  private Future<TokenSource.Token> grant(UpstreamOptions u, String challenge) {
    return client(u, challenge).compose(c -> grantWith(u, c).recover(err -> {
      if (c.registered() && err instanceof Http.OAuthError e && "invalid_client".equals(e.error)) {
        LOG.info("upstream {}: the authorization server no longer knows client {}; registering again", u.name(),
            c.clientId());
        clients.remove(u.name());
        return client(u, challenge).compose(again -> grantWith(u, again));
      }
      return Future.failedFuture(err);
    }));
  }

  private Future<TokenSource.Token> grantWith(UpstreamOptions u, Client c) {
    UpstreamAuthOptions auth = u.auth();
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    if (auth.mode() == UpstreamAuthOptions.Mode.REFRESH_TOKEN) {
      form.set("grant_type", "refresh_token").set("refresh_token", refreshTokens.get(u.name()));
    } else {
      form.set("grant_type", "client_credentials");
    }
    common(form, auth, c.resource());
    return http.form(c.tokenUrl(), form, c.clientId(), c.clientSecret()).map(json -> {
      if (json.getString("refresh_token") != null) {
        refreshTokens.put(u.name(), json.getString("refresh_token")); // rotated (OAuth 2.1 4.3.1)
      }
      return token(json);
    });
  }

  private Future<TokenSource.Token> exchange(UpstreamOptions u, String subjectToken) {
    UpstreamAuthOptions auth = u.auth();
    MultiMap form = MultiMap.caseInsensitiveMultiMap().set("grant_type", EXCHANGE)
        .set("subject_token", subjectToken).set("subject_token_type", ACCESS_TOKEN)
        .set("requested_token_type", ACCESS_TOKEN);
    common(form, auth, auth.resource());
    return http.form(auth.tokenUrl(), form, auth.clientId(), auth.clientSecret()).map(UpstreamTokens::token);
  }

  private static void common(MultiMap form, UpstreamAuthOptions auth, String resource) {
    if (!auth.scopes().isEmpty()) {
      form.set("scope", String.join(" ", auth.scopes()));
    }
    if (auth.audience() != null) {
      form.set("audience", auth.audience());
    }
    if (resource != null) {
      form.set("resource", resource); // RFC 8707
    }
  }

  private static TokenSource.Token token(JsonObject json) {
    String value = json.getString("access_token");
    if (value == null) {
      throw new IllegalStateException("the token endpoint answered without an access_token");
    }
    long lifetime = json.getValue("expires_in") instanceof Number n ? n.longValue() * 1000 : DEFAULT_LIFETIME_MS;
    return new TokenSource.Token(value, System.currentTimeMillis() + lifetime);
  }

  /** The configured client, or one found out: discovery of the token endpoint, then registration when allowed. */
  private Future<Client> client(UpstreamOptions u, String challenge) {
    UpstreamAuthOptions auth = u.auth();
    if (auth.tokenUrl() != null && auth.clientId() != null) {
      return Future.succeededFuture(new Client(auth.tokenUrl(), auth.clientId(), auth.clientSecret(), null,
          auth.resource(), false));
    }
    Future<Client> cached = clients.get(u.name());
    if (cached != null && !cached.failed()) {
      return cached;
    }
    Future<Client> found = ClientDiscovery.discover(http, u, challenge)
        .compose(c -> c.clientId() != null ? Future.succeededFuture(c) : register(u, c));
    clients.put(u.name(), found);
    return found;
  }

  private Future<Client> register(UpstreamOptions u, Client c) {
    if (!u.auth().register() || c.registrationUrl() == null) {
      return Future.failedFuture("no client id for " + u.name() + " and no registration"
          + (u.auth().register() ? " endpoint at its authorization server" : " allowed (auth.register)"));
    }
    JsonObject metadata = new JsonObject().put("client_name", "Junction MCP gateway")
        .put("grant_types", new JsonArray().add("client_credentials"))
        .put("token_endpoint_auth_method", "client_secret_basic")
        // no authorization code flow, so no redirect URIs: say so, or servers default to "code" and want them
        .put("response_types", new JsonArray());
    if (!u.auth().scopes().isEmpty()) {
      metadata.put("scope", String.join(" ", u.auth().scopes()));
    }
    return http.postJson(c.registrationUrl(), metadata).map(json -> {
      LOG.info("upstream {}: registered as client {} at {}", u.name(), json.getString("client_id"),
          c.registrationUrl());
      return new Client(c.tokenUrl(), json.getString("client_id"), json.getString("client_secret"), c.registrationUrl(),
          c.resource(), true);
    });
  }
}
