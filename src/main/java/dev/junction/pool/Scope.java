package dev.junction.pool;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a downstream client's requests share: the pool keys they use and what the gateway learned
 * from list results. A {@link DownstreamSession} is the scope of one client session; a stateless
 * tenant has one scope. A scope never spans tenants. Owned by its shard's context.
 */
class Scope {
  final String tenantKey;
  /** The client's capabilities, declared upstream as the gateway's own. */
  final JsonObject clientCapabilities;
  final JsonObject clientInfo;
  final String protocolVersion;
  /** The pool key this scope uses for each upstream (cached; the pool owns the sessions). */
  final Map<String, KeyPool> pools = new HashMap<>();
  /** Which upstream first listed a resource URI; others with the same URI get gateway URIs. */
  final Map<String, String> resourceOwners = new HashMap<>();
  /** Which upstream first listed a resource template. */
  final Map<String, String> templateOwners = new HashMap<>();
  /** Cached list pages by upstream, method and cursor (see {@link Lists}). */
  final Map<String, Lists.CachedPage> listCache = new HashMap<>();
  long lastSeen = System.currentTimeMillis();
  /** Open subscriptions/listen streams of this scope: while any is open, the scope is not idle. */
  int listening;
  /**
   * The client's latest verified token, for upstreams that exchange it (token-exchange) or pass
   * it on (passthrough); null otherwise. A secret: never logged.
   */
  String subjectToken;

  Scope(String tenantKey, JsonObject clientCapabilities, JsonObject clientInfo, String protocolVersion) {
    this.tenantKey = tenantKey;
    this.clientCapabilities = clientCapabilities;
    this.clientInfo = clientInfo;
    this.protocolVersion = protocolVersion;
  }

  /** The live upstream sessions of the pool keys this scope uses (for cancellation and notifications). */
  List<UpstreamSession> upstreamSessions() {
    List<UpstreamSession> all = new ArrayList<>();
    for (KeyPool pool : pools.values()) {
      for (KeyPool.Entry e : pool.entries) {
        if (!e.session.closed()) {
          all.add(e.session);
        }
      }
    }
    return all;
  }

  /** Null for a stateless tenant scope. */
  DownstreamSession session() {
    return null;
  }
}
