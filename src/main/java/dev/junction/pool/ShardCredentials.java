package dev.junction.pool;

import dev.junction.bus.Addresses;
import dev.junction.bus.Credentials;
import dev.junction.bus.CredentialsChanged;
import dev.junction.bus.CredentialsReply;
import dev.junction.bus.CredentialsRequest;
import dev.junction.bus.RefreshCredentials;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamAuthOptions;
import dev.junction.routing.Names;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A shard's cache of the credentials its tenants' upstream sessions use, asked of the OAuth
 * verticle once per (tenant, upstream) and dropped when the OAuth verticle publishes a change.
 * With {@code passthrough} the credential is the client's own latest token, so it is not cached.
 * Values are secrets: never logged. Owned by the shard context.
 */
final class ShardCredentials {
  private final Vertx vertx;
  // replaced by each new config version (configure), on the shard context
  private JunctionConfig config;
  private final Map<String, Future<Credentials>> cache = new HashMap<>();

  ShardCredentials(Vertx vertx, JunctionConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Takes a config version; credentials of upstreams it removed or changed are dropped. */
  void configure(JunctionConfig next, List<String> stale) {
    config = next;
    stale.forEach(u -> changed(new CredentialsChanged(u, null)));
  }

  /** The credentials for the scope's sessions with an upstream. */
  Future<Credentials> get(Scope scope, String upstream) {
    UpstreamAuthOptions auth = config.upstreams().get(upstream).auth();
    String subject = auth.usesClientToken() ? scope.subjectToken : null;
    if (auth.mode() == UpstreamAuthOptions.Mode.PASSTHROUGH) {
      return ask(new CredentialsRequest(upstream, scope.tenantKey, subject));
    }
    String key = scope.tenantKey + '|' + upstream;
    Future<Credentials> cached = cache.get(key);
    if (cached != null && !cached.failed()) {
      return cached;
    }
    Future<Credentials> asked = ask(new CredentialsRequest(upstream, scope.tenantKey, subject));
    cache.put(key, asked);
    return asked;
  }

  /**
   * The upstream refused {@code used} with 401: renewed credentials (once, however many calls were
   * refused), which replace the cached ones.
   */
  Future<Credentials> renew(Scope scope, String upstream, Credentials used, String challenge) {
    UpstreamAuthOptions auth = config.upstreams().get(upstream).auth();
    String authorization = used == null ? null : used.headers().get("Authorization");
    String rejected = authorization == null ? null : Names.sha256Hex(authorization);
    RefreshCredentials refresh = new RefreshCredentials(upstream, scope.tenantKey,
        auth.usesClientToken() ? scope.subjectToken : null, rejected, challenge);
    Future<Credentials> renewed = vertx.eventBus().<CredentialsReply>request(Addresses.OAUTH_REFRESH, refresh)
        .compose(ShardCredentials::granted);
    cache.put(scope.tenantKey + '|' + upstream, renewed);
    return renewed;
  }

  /** Drops what a published change made stale. */
  void changed(CredentialsChanged change) {
    String suffix = '|' + change.upstream();
    cache.keySet().removeIf(k -> k.endsWith(suffix)
        && (change.tenantKey() == null || k.startsWith(change.tenantKey() + '|')));
  }

  /** Keeps only the credentials of tenants that still have a scope here, so tenant churn cannot grow memory. */
  void retain(Set<String> tenants) {
    cache.keySet().removeIf(k -> !tenants.contains(k.substring(0, k.indexOf('|'))));
  }

  private Future<Credentials> ask(CredentialsRequest request) {
    return vertx.eventBus().<CredentialsReply>request(Addresses.OAUTH_TOKEN, request)
        .compose(ShardCredentials::granted);
  }

  /** The credentials, or a failure whose message is the refusal's words (they reach the client's error). */
  private static Future<Credentials> granted(Message<CredentialsReply> m) {
    CredentialsReply reply = m.body();
    return reply.isGranted() ? Future.succeededFuture(reply.credentials()) : Future.failedFuture(reply.refusal());
  }
}
