package dev.junction.pool;

import dev.junction.jsonrpc.JsonRpc;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Names;
import dev.junction.routing.ResourceUris;
import dev.junction.routing.Routes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Relays upstream list changes (server/tools, server/prompts, server/resources "List Changed
 * Notification"): the scope's cached pages are dropped, the upstream's list is fetched again, and
 * the client is told only when the content really changed (by hash), at most once per
 * {@value #THROTTLE_MS} ms per list. Runs on the shard context.
 */
final class ListChanges {
  /** The shortest gap between two notifications of one list to one client. */
  static final long THROTTLE_MS = 250;

  /** Sends a message to a session's client outside any request. */
  interface ToClient {
    void send(DownstreamSession ds, UpstreamSession from, JsonObject message);
  }

  private final Vertx vertx;
  private final Lists lists;
  private final JunctionMetrics metrics;
  private final ToClient toClient;

  ListChanges(Vertx vertx, Lists lists, JunctionMetrics metrics, ToClient toClient) {
    this.vertx = vertx;
    this.lists = lists;
    this.metrics = metrics;
    this.toClient = toClient;
  }

  /** The list method a list_changed notification is about, or null for other notifications. */
  static String listOf(String notification) {
    return switch (notification) {
      case "notifications/tools/list_changed" -> "tools/list";
      case "notifications/prompts/list_changed" -> "prompts/list";
      case "notifications/resources/list_changed" -> "resources/list";
      default -> null;
    };
  }

  /** Every scope that uses the session's pool key hears the change. */
  void changed(UpstreamSession session, String notification, String listMethod) {
    String upstream = session.upstream();
    for (Scope scope : List.copyOf(session.pool.attached)) {
      Lists.invalidate(scope, upstream, listMethod);
      if ("resources/list".equals(listMethod)) {
        Lists.invalidate(scope, upstream, "resources/templates/list");
      }
      DownstreamSession ds = scope.session();
      if (ds == null) {
        continue; // stateless clients learn of changes from ttlMs (subscriptions/listen is not served yet)
      }
      lists.all(scope, upstream, Lists.Kind.of(listMethod)).onComplete(ar -> {
        String key = upstream + " " + listMethod;
        // a list that cannot be fetched counts as changed: the client should look again
        String hash = ar.succeeded() ? Names.sha256Hex(ar.result().encode()) : "unavailable";
        if (hash.equals(ds.listHashes.put(key, hash))) {
          metrics.listChanged(upstream, false);
          return;
        }
        metrics.listChanged(upstream, true);
        throttled(ds, session, notification);
      });
    }
  }

  private void throttled(DownstreamSession ds, UpstreamSession session, String notification) {
    long now = System.currentTimeMillis();
    long last = ds.lastNotified.getOrDefault(notification, 0L);
    if (now - last >= THROTTLE_MS) {
      ds.lastNotified.put(notification, now);
      toClient.send(ds, session, JsonRpc.notification(notification, null));
    } else if (ds.pendingNotifications.add(notification)) {
      vertx.setTimer(THROTTLE_MS - (now - last), t -> {
        ds.pendingNotifications.remove(notification);
        ds.lastNotified.put(notification, System.currentTimeMillis());
        toClient.send(ds, session, JsonRpc.notification(notification, null));
      });
    }
  }

  /**
   * A resources/updated notification with the URI a scope's client knows (a gateway URI where
   * it was renamed for that client).
   */
  static JsonObject gatewayUri(Scope scope, UpstreamSession session, JsonObject notification, Routes routes) {
    JsonObject params = JsonRpc.params(notification);
    String uri = params.getString("uri");
    String owner = uri == null ? null : scope.resourceOwners.get(uri);
    if (owner == null || owner.equals(session.upstream())) {
      return notification;
    }
    String renamed = ResourceUris.rewrite(routes.prefix(session.upstream()), uri);
    return JsonRpc.notification(notification.getString("method"), JsonRpc.shallowCopy(params).put("uri", renamed));
  }

}
