package dev.junction.pool;

import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Routes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code subscriptions/listen} for 2026-07-28 clients (basic/patterns/subscriptions): the open SSE
 * response carries the list_changed and resources/updated notifications of the upstreams in the
 * client's scope, each with the listen request's id in {@code _meta}. A 2025 upstream's changes come
 * from its sessions (GET stream, stdio) and its resources/updated from one {@code resources/subscribe}
 * per (tenant, upstream, resource), shared by every listener; a 2026-07-28 upstream gets a
 * {@code subscriptions/listen} of its own per listener. Owned by the shard context.
 */
final class Subscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
  static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
  private static final String ACKNOWLEDGED = "notifications/subscriptions/acknowledged";
  /** The acknowledgement waits at most this long for the upstreams to listen. */
  private static final long ACK_BOUND_MS = 5_000;
  /** A 2026-07-28 upstream's listen runs as long as the client's; this only bounds a lost one. */
  private static final long UPSTREAM_LISTEN_MS = 24L * 3_600_000L;

  /** Sends a request to one upstream for a scope (the relay's path, with its limits and failover). */
  interface Forward {
    Future<JsonObject> send(Scope scope, Endpoint endpoint, String upstream, String method, JsonObject params);
  }

  /** One open listen stream. */
  private static final class Listener {
    final Scope scope;
    final Endpoint endpoint;
    final Call call;
    final JsonObject filter;
    /** Gateway URI to (upstream, upstream URI) of each resource the client subscribed to. */
    final Map<String, Routes.Target> resources = new LinkedHashMap<>();
    final Promise<JsonObject> end = Promise.promise();
    /** Set once the acknowledgement has gone out: only then does the listener hear changes. */
    boolean acknowledged;

    Listener(Scope scope, Endpoint endpoint, Call call, JsonObject filter) {
      this.scope = scope;
      this.endpoint = endpoint;
      this.call = call;
      this.filter = filter;
    }
  }

  private final Routes routes;
  private final UpstreamPool pool;
  private final BiConsumer<Call, JsonObject> toCall;
  private Forward forward;
  private Relay relay;

  // Owned by the shard context.
  private final Map<String, Listener> byExchange = new HashMap<>();
  /** Listeners of each upstream resource subscription, keyed "tenant \n upstream \n uri". */
  private final Map<String, Integer> upstreamSubscriptions = new HashMap<>();

  Subscriptions(Routes routes, UpstreamPool pool, BiConsumer<Call, JsonObject> toCall) {
    this.routes = routes;
    this.pool = pool;
    this.toCall = toCall;
  }

  void relay(Relay relay) {
    this.relay = relay;
    this.forward = relay::forwardFor;
  }

  /**
   * Opens a listen stream: acknowledges the filter, then relays what it asks for until the client
   * closes the stream. The answer comes when the stream ends.
   */
  Future<JsonObject> listen(Scope scope, Endpoint endpoint, JsonObject request, Call call) {
    Object id = request.getValue("id");
    Object notifications = JsonRpc.params(request).getValue("notifications");
    if (!(notifications instanceof JsonObject filter) || call.exchange == null) {
      return Future.succeededFuture(JunctionError.INVALID_PARAMS.response(id,
          "notifications is required and must be a subscription filter", null));
    }
    Listener listener = new Listener(scope, endpoint, call, filter);
    JsonObject honored = new JsonObject();
    for (String flag : List.of("toolsListChanged", "promptsListChanged", "resourcesListChanged")) {
      if (filter.getValue(flag) == Boolean.TRUE) {
        honored.put(flag, true);
      }
    }
    JsonArray uris = new JsonArray();
    if (filter.getValue("resourceSubscriptions") instanceof JsonArray asked) {
      for (Object o : asked) {
        Routes.Target target = o instanceof String uri ? relay.resourceTargetFor(scope, endpoint, uri) : null;
        if (target != null) {
          listener.resources.put((String) o, target);
          uris.add(o);
        }
      }
      honored.put("resourceSubscriptions", uris);
    }
    byExchange.put(call.exchange, listener);
    scope.listening++;
    // acknowledged once every upstream listens (GET stream answered, subscriptions sent), so that
    // a change made after the acknowledgement is heard; an upstream that does not answer in time
    // (or at all) does not hold the acknowledgement back
    List<Future<Void>> opened = new ArrayList<>();
    for (String upstream : routes.upstreams(endpoint)) {
      opened.add(open(listener, upstream));
    }
    Future.join(opened).timeout(ACK_BOUND_MS, TimeUnit.MILLISECONDS).onComplete(done -> {
      if (byExchange.get(call.exchange) == listener) {
        listener.acknowledged = true;
        toCall.accept(call, withId(JsonRpc.notification(ACKNOWLEDGED,
            new JsonObject().put("notifications", honored)), call.downstreamId));
      }
    });
    return listener.end.future();
  }

  /** Starts what one upstream needs to tell the listener about its changes. */
  private Future<Void> open(Listener listener, String upstream) {
    return pool.acquire(listener.scope, upstream).compose(lease -> {
      UpstreamSession session = lease.session();
      pool.release(lease, Reply.LEASED);
      // a session started for calls only opens its GET stream now
      return session.listen().compose(v -> subscribe(listener, upstream, session));
    }, err -> {
      LOG.debug("subscriptions/listen: upstream {} not reachable now", upstream);
      return Future.succeededFuture();
    });
  }

  /** The upstream's own listen (2026-07-28), or one resources/subscribe per (tenant, upstream, resource). */
  private Future<Void> subscribe(Listener listener, String upstream, UpstreamSession session) {
    if (!byExchange.containsValue(listener)) {
      return Future.succeededFuture();
    }
    List<String> own = listener.resources.values().stream().filter(t -> t.upstream().equals(upstream))
        .map(Routes.Target::name).toList();
    if (session.statelessWire()) {
      JsonObject filter = listener.filter.copy();
      filter.remove("resourceSubscriptions");
      if (!own.isEmpty()) {
        filter.put("resourceSubscriptions", new JsonArray(own));
      }
      // its notifications come back related to this call; it ends when the client's stream does
      session.call("subscriptions/listen", new JsonObject().put("notifications", filter), listener.call,
          UPSTREAM_LISTEN_MS);
      return Future.succeededFuture();
    }
    List<Future<JsonObject>> sent = new ArrayList<>();
    for (String uri : own) {
      String key = listener.scope.tenantKey + "\n" + upstream + "\n" + uri;
      if (upstreamSubscriptions.merge(key, 1, Integer::sum) == 1) {
        sent.add(forward.send(listener.scope, listener.endpoint, upstream, "resources/subscribe",
            new JsonObject().put("uri", uri)));
      }
    }
    return Future.join(sent).mapEmpty();
  }

  /** The client closed a stream: if it was a listen stream, it ends, and so do its upstream subscriptions. */
  void closed(String exchange) {
    Listener listener = byExchange.remove(exchange);
    if (listener == null) {
      return;
    }
    listener.scope.listening--;
    listener.scope.lastSeen = System.currentTimeMillis();
    for (Routes.Target t : listener.resources.values()) {
      String key = listener.scope.tenantKey + "\n" + t.upstream() + "\n" + t.name();
      Integer left = upstreamSubscriptions.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
      if (left == null && !upstreamIsModern(listener.scope, t.upstream())) {
        forward.send(listener.scope, listener.endpoint, t.upstream(), "resources/unsubscribe",
            new JsonObject().put("uri", t.name()));
      }
    }
    listener.end.tryComplete(JsonRpc.result(listener.call.downstreamId, new JsonObject()
        .put("_meta", new JsonObject().put(SUBSCRIPTION_ID, listener.call.downstreamId))));
  }

  /**
   * The gateway stops: every listen stream ends with its result, and the upstream listens made for
   * it end too (basic/patterns/subscriptions, "Cancellation": the server tears the subscription down).
   */
  void endAll(String reason) {
    for (String exchange : List.copyOf(byExchange.keySet())) {
      Scope scope = byExchange.get(exchange).scope;
      closed(exchange);
      scope.upstreamSessions().forEach(s -> s.cancelExchange(exchange, reason));
    }
  }

  private boolean upstreamIsModern(Scope scope, String upstream) {
    return scope.upstreamSessions().stream().anyMatch(s -> s.upstream().equals(upstream) && s.statelessWire());
  }

  /**
   * A notification from upstream. True when it was a listen stream's own (relayed or dropped here);
   * false when the usual path should handle it too (after the listeners heard it).
   */
  boolean fromUpstream(UpstreamSession session, JsonObject notification, Call related) {
    String method = notification.getString("method");
    boolean ownStream = related != null && related.exchange != null && byExchange.containsKey(related.exchange)
        && byExchange.get(related.exchange).call == related;
    if (ownStream && ACKNOWLEDGED.equals(method)) {
      return true; // the client had the gateway's acknowledgement
    }
    String flag = switch (method == null ? "" : method) {
      case "notifications/tools/list_changed" -> "toolsListChanged";
      case "notifications/prompts/list_changed" -> "promptsListChanged";
      case "notifications/resources/list_changed" -> "resourcesListChanged";
      default -> null;
    };
    List<Listener> hearing = new ArrayList<>();
    for (Listener l : byExchange.values()) {
      if (!l.acknowledged) {
        continue; // a change from before the acknowledgement is not the listener's
      }
      // a modern upstream's change reaches each listener on its own stream only
      boolean fromThisStream = !session.statelessWire() || (ownStream && l.call == related);
      if (session.pool.attached.contains(l.scope) && routes.serves(l.endpoint, session.upstream()) && fromThisStream) {
        hearing.add(l);
      }
    }
    if (flag != null) {
      hearing.stream().filter(l -> l.filter.getValue(flag) == Boolean.TRUE).forEach(l ->
          toCall.accept(l.call, withId(JsonRpc.notification(method, null), l.call.downstreamId)));
      return ownStream;
    }
    if ("notifications/resources/updated".equals(method)) {
      String uri = JsonRpc.params(notification).getString("uri");
      for (Listener l : hearing) {
        l.resources.forEach((gateway, target) -> {
          if (target.upstream().equals(session.upstream()) && target.name().equals(uri)) {
            JsonObject params = JsonRpc.shallowCopy(JsonRpc.params(notification)).put("uri", gateway);
            params.remove("_meta");
            toCall.accept(l.call, withId(JsonRpc.notification(method, params), l.call.downstreamId));
          }
        });
      }
      return ownStream || session.pool.attached.stream().allMatch(s -> s.session() == null);
    }
    return ownStream;
  }

  private static JsonObject withId(JsonObject notification, Object subscriptionId) {
    JsonObject params = notification.getJsonObject("params");
    params = params == null ? new JsonObject() : JsonRpc.shallowCopy(params);
    JsonObject meta = params.getJsonObject("_meta");
    meta = meta == null ? new JsonObject() : JsonRpc.shallowCopy(meta);
    params.put("_meta", meta.put(SUBSCRIPTION_ID, subscriptionId));
    return JsonRpc.notification(notification.getString("method"), params);
  }
}
