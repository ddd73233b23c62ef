package dev.junction.oauth;

import dev.junction.bus.Addresses;
import dev.junction.bus.InboundKeys;
import dev.junction.bus.KeySet;
import dev.junction.config.AuthOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound issuer's metadata and signature keys: discovered (RFC 8414, or OpenID Connect
 * discovery), fetched at start, again every {@code jwksRefresh}, and again when a token names a
 * key id the set does not have (key rotation), at most once per {@code jwksMinRefresh}. Each new
 * set is published to the ingress instances. A failed fetch keeps the last good set and retries
 * with a growing delay. Owned by the OAuth verticle's context.
 */
final class IssuerKeys {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);
  private static final long MAX_RETRY_MS = 60_000;

  private final Vertx vertx;
  private final Http http;
  private final AuthOptions auth;

  private JsonObject metadata;
  private KeySet keys = KeySet.EMPTY;
  private Future<KeySet> fetching;
  private long lastAttempt;
  private long retryDelay = 1_000;
  private long timer = -1;

  IssuerKeys(Vertx vertx, Http http, AuthOptions auth) {
    this.vertx = vertx;
    this.http = http;
    this.auth = auth;
  }

  /** Starts fetching; the gateway starts even when the issuer is not reachable yet. */
  void start() {
    fetch();
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  KeySet keys() {
    return keys;
  }

  /** The issuer's metadata (null until discovered). */
  JsonObject metadata() {
    return metadata;
  }

  /** The current keys, fetched again first when a token named an unknown key and the last fetch is old enough. */
  Future<KeySet> forKid(String kid) {
    boolean unknown = kid != null && !keys.has(kid);
    if (unknown && System.currentTimeMillis() - lastAttempt >= auth.jwksMinRefreshMs()) {
      return fetch();
    }
    return fetching != null ? fetching : Future.succeededFuture(keys);
  }

  private Future<KeySet> fetch() {
    if (fetching != null) {
      return fetching;
    }
    lastAttempt = System.currentTimeMillis();
    vertx.cancelTimer(timer);
    Future<JsonObject> meta = metadata != null ? Future.succeededFuture(metadata)
        : http.first(Http.metadataUrls(auth.issuer())).compose(this::checkIssuer);
    Future<KeySet> f = meta.compose(m -> {
      metadata = m;
      String jwksUri = m.getString("jwks_uri");
      return jwksUri == null ? Future.failedFuture("the issuer's metadata has no jwks_uri") : http.json(jwksUri);
    }).map(jwks -> KeySet.parse(jwks, System.currentTimeMillis())).transform(ar -> {
      fetching = null;
      if (ar.succeeded()) {
        keys = ar.result();
        retryDelay = 1_000;
        LOG.info("issuer {}: {} signature key(s) {}", auth.issuer(), keys.size(), keys.describe().keySet());
        vertx.eventBus().publish(Addresses.OAUTH_KEYS, new InboundKeys(keys));
        timer = vertx.setTimer(auth.jwksRefreshMs(), t -> fetch());
      } else {
        LOG.warn("issuer {}: keys not fetched ({}); retrying in {} ms", auth.issuer(), ar.cause().getMessage(),
            retryDelay);
        timer = vertx.setTimer(retryDelay, t -> fetch());
        retryDelay = Math.min(MAX_RETRY_MS, retryDelay * 2);
      }
      return Future.succeededFuture(keys);
    });
    if (!f.isComplete()) {
      fetching = f;
    }
    return f;
  }

  /** RFC 8414 3.3: the metadata must name the issuer it was asked for. */
  private Future<JsonObject> checkIssuer(JsonObject m) {
    String named = m.getString("issuer");
    return auth.issuer().equals(named) || auth.issuer().equals(named + "/") ? Future.succeededFuture(m)
        : Future.failedFuture("the metadata names issuer " + named + ", not " + auth.issuer());
  }
}
