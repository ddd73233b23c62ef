package dev.junction.pool;

import dev.junction.bus.Addresses;
import dev.junction.bus.StreamEvent;
import dev.junction.config.ConfigChange;
import dev.junction.config.JunctionConfig;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Routes;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a new config version does to a shard's live state, beyond the new routes and options its
 * parts read from the next request on. Upstreams removed or changed are retired: their keys drain
 * (in-flight calls finish, then their sessions and processes close) and the next call of a changed
 * one makes a key with the new options. Scopes drop cached list pages of those upstreams. A
 * session whose endpoint gained, lost or changed an upstream hears {@code list_changed} for
 * tools, prompts and resources; one whose tool filter changed hears it for tools. Downstream
 * sessions stay, except those of a tenant that is no longer declared and those opened with an API
 * key that is gone or now names another tenant (a session with a call in flight ends after it).
 * Runs on the shard context.
 */
final class ShardReload {
  private static final List<String> EVERY_LIST = List.of("notifications/tools/list_changed",
      "notifications/prompts/list_changed", "notifications/resources/list_changed");
  private static final List<String> TOOLS = List.of("notifications/tools/list_changed");

  private ShardReload() {
  }

  /**
   * Applies the upstream side of a change, once the shard's parts have the new config.
   *
   * @param before the routes of the config that ran until now
   */
  static void apply(Vertx vertx, ConfigChange change, JunctionConfig old, Routes before, Routes after,
      UpstreamPool pool, DownstreamSessions sessions) {
    List<String> retired = new ArrayList<>(change.removed());
    retired.addAll(change.changed());
    retired.forEach(pool::retire);
    List<Scope> scopes = new ArrayList<>(sessions.all());
    scopes.addAll(sessions.stateless());
    for (Scope scope : scopes) {
      retired.forEach(u -> scope.listCache.keySet().removeIf(k -> k.startsWith(u + " ")));
    }
    JunctionConfig next = change.effective();
    // a removed tenant's sessions and a removed key's end (this node's ingress refuses their next
    // request already; another node's, whose config may lag, then finds no session here)
    Set<String> declared = next.auth().tenants().keySet();
    Set<String> goneKeys = goneKeys(old, next);
    sessions.endWhere(ds -> (!declared.isEmpty() && ds.endpoint.tenant() != null
        && !declared.contains(ds.endpoint.tenant())) || (ds.apiKey != null && goneKeys.contains(ds.apiKey)));
    for (DownstreamSession ds : sessions.all()) {
      if (ds.streamAddress == null) {
        continue; // notifications outside a request go on the GET stream; without one the client re-lists itself
      }
      Endpoint ep = ds.endpoint;
      Set<String> was = new HashSet<>(before.upstreams(ep));
      Set<String> is = new HashSet<>(after.upstreams(ep));
      boolean lists = !was.equals(is) || retired.stream().anyMatch(is::contains);
      boolean tools = !Objects.equals(policy(old, ep), policy(next, ep));
      if (lists || tools) {
        ds.listHashes.clear();
        for (String method : lists ? EVERY_LIST : TOOLS) {
          vertx.eventBus().send(Addresses.eventsOf(ds.streamAddress),
              new StreamEvent(ds.streamAddress, JsonRpc.notification(method, null)));
        }
      }
    }
  }

  /** The SHA-256s of the API keys that are gone, or that name another tenant than before. */
  private static Set<String> goneKeys(JunctionConfig old, JunctionConfig next) {
    Map<String, String> now = new HashMap<>();
    next.auth().apiKeys().forEach(k -> now.put(k.sha256(), k.tenant()));
    Set<String> gone = new HashSet<>();
    old.auth().apiKeys().forEach(k -> {
      if (!k.tenant().equals(now.get(k.sha256()))) {
        gone.add(k.sha256());
      }
    });
    return gone;
  }

  /** What decides the tool filter of an endpoint for its tenant: the tenant's entry and the virtual server's. */
  private static List<Object> policy(JunctionConfig config, Endpoint ep) {
    Object tenant = ep.tenant() == null ? null : config.auth().tenants().get(ep.tenant());
    Object virtual = ep.kind() == Endpoint.Kind.VIRTUAL ? config.virtualServers().get(ep.name()) : null;
    return Arrays.asList(tenant, virtual);
  }
}
