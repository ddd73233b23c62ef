package dev.junction.pool;

import dev.junction.config.FailureMode;
import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMethod;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Names;
import dev.junction.routing.ResourceUris;
import dev.junction.routing.Routes;
import dev.junction.routing.ToolFilter;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists on prefixed endpoints (aggregate and virtual): one page from each upstream per gateway
 * page, with a gateway cursor that carries each upstream's own cursor; names prefixed (and
 * shortened to the 64-character budget), hidden tools filtered out, conflicting resource URIs
 * rewritten; an upstream that fails or is slower than its list timeout left out (fail-open) or
 * failing the list (fail-closed). Pages are cached per scope and upstream, for the upstream's
 * {@code ttlMs} or the configured TTL, and dropped on list_changed. Runs on the shard context.
 */
final class Lists {
  private static final Logger LOG = LoggerFactory.getLogger(Lists.class);
  /** A full list is followed through at most this many pages. */
  private static final int MAX_PAGES = 100;

  /** A list method: its result field and the key of its items. */
  record Kind(String method, String field, String key) {
    boolean named() {
      return "name".equals(key);
    }

    static Kind of(String method) {
      McpMethod m = McpMethod.of(method);
      return m == null || m.listField() == null ? null : new Kind(method, m.listField(), m.itemKey());
    }
  }

  /** Fetches one request from one upstream with a timeout; the answer has the upstream's id. */
  interface Forward {
    Future<JsonObject> apply(Scope scope, String upstream, String method, JsonObject params, long timeoutMs);
  }

  /** One upstream page, cached in a scope until {@code expiresAt} (or a list_changed). */
  record CachedPage(JsonObject result, long expiresAt) {
  }

  // replaced by each new config version (configure), on the shard context
  private JunctionConfig config;
  private Routes routes;
  private final Forward forward;
  private final JunctionMetrics metrics;

  Lists(JunctionConfig config, Routes routes, Forward forward, JunctionMetrics metrics) {
    this.config = config;
    this.routes = routes;
    this.forward = forward;
    this.metrics = metrics;
  }
  /** Takes a config version: the next page is built with its routes, filters and timeouts. */
  void configure(JunctionConfig next, Routes nextRoutes) {
    config = next;
    routes = nextRoutes;
  }


  /**
   * One gateway page of a list on a prefixed endpoint. {@code notify} receives the logging
   * notifications that report upstreams left out.
   */
  Future<JsonObject> list(Scope scope, Endpoint endpoint, Kind kind, JsonObject params, Consumer<JsonObject> notify) {
    Map<String, String> cursors;
    try {
      cursors = decodeCursor(params.getString("cursor"), endpoint);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(JunctionError.INVALID_PARAMS.response(null, "Invalid cursor", null));
    }
    List<String> upstreams = new ArrayList<>(cursors.keySet());
    List<Future<JsonObject>> pages = new ArrayList<>();
    for (String upstream : upstreams) {
      pages.add(page(scope, upstream, kind, cursors.get(upstream)));
    }
    return Future.join(pages).transform(ar -> {
      JsonArray items = new JsonArray();
      Map<String, String> next = new LinkedHashMap<>();
      List<JsonObject> served = new ArrayList<>();
      for (int i = 0; i < pages.size(); i++) {
        String upstream = upstreams.get(i);
        Future<JsonObject> page = pages.get(i);
        if (page.failed()) {
          String why = JunctionException.describe(page.cause());
          if (routes.failureMode(endpoint) == FailureMode.CLOSED) {
            return Future.succeededFuture(JunctionError.UPSTREAM_UNAVAILABLE.upstreamResponse(null, upstream,
                upstream + ": " + why));
          }
          leftOut(kind, upstream, why, notify);
          continue;
        }
        JsonObject result = page.result();
        served.add(result);
        addItems(scope, endpoint, kind, upstream, result.getJsonArray(kind.field(), new JsonArray()), items);
        String nextCursor = result.getString("nextCursor");
        if (nextCursor != null) {
          next.put(upstream, nextCursor);
        }
      }
      JsonObject result = new JsonObject().put(kind.field(), items);
      if (!next.isEmpty()) {
        result.put("nextCursor", encodeCursor(next));
      }
      if (scope.session() == null) {
        // 2026-07-28 clients cache by these: they must describe the merged page, not one upstream's
        CacheHints.merge(result, served, served.size() == pages.size(), endpoint.tenant() != null);
      }
      return Future.succeededFuture(JsonRpc.result(null, result));
    });
  }

  private void leftOut(Kind kind, String upstream, String why, Consumer<JsonObject> notify) {
    LOG.warn("{}: upstream {} left out: {}", kind.method(), upstream, why);
    metrics.upstreamLeftOut(upstream);
    notify.accept(JsonRpc.notification("notifications/message", new JsonObject()
        .put("level", "warning")
        .put("logger", "junction")
        // a string: the spec allows any JSON here, but some SDKs only read strings
        .put("data", "upstream '" + upstream + "' left out of " + kind.method() + ": " + why)));
  }

  private void addItems(Scope scope, Endpoint endpoint, Kind kind, String upstream, JsonArray page, JsonArray out) {
    if (kind.named()) {
      Map<String, String> exposed = exposedNames(upstream, page);
      ToolFilter filter = "tools".equals(kind.field()) ? routes.filter(endpoint) : ToolFilter.ALL;
      for (Object o : page) {
        if (o instanceof JsonObject item && item.getString("name") != null) {
          String name = exposed.get(item.getString("name"));
          if (filter.visible(name)) {
            out.add(JsonRpc.shallowCopy(item).put("name", name));
          }
        }
      }
      return;
    }
    Map<String, String> owners = "uri".equals(kind.key()) ? scope.resourceOwners : scope.templateOwners;
    for (Object o : page) {
      if (!(o instanceof JsonObject item) || item.getString(kind.key()) == null) {
        continue;
      }
      String uri = item.getString(kind.key());
      // first come, first served: the first upstream to list a URI keeps it; later ones are renamed
      String owner = owners.putIfAbsent(uri, upstream);
      out.add(owner == null || owner.equals(upstream)
          ? item
          : JsonRpc.shallowCopy(item).put(kind.key(), ResourceUris.rewrite(routes.prefix(upstream), uri)));
    }
  }

  /**
   * Exposed names for one upstream's items. Two long names whose short forms collide both get
   * longer hashes, so exposed names never collide.
   */
  Map<String, String> exposedNames(String upstream, JsonArray items) {
    String prefix = routes.prefix(upstream);
    Map<String, String> exposed = new HashMap<>();
    Map<String, List<String>> byShort = new HashMap<>();
    for (Object o : items) {
      if (o instanceof JsonObject item && item.getString("name") != null) {
        String name = item.getString("name");
        String e = Names.exposed(prefix, name);
        exposed.put(name, e);
        byShort.computeIfAbsent(e, k -> new ArrayList<>()).add(name);
      }
    }
    byShort.values().stream().filter(names -> names.size() > 1)
        .forEach(names -> names.forEach(n -> exposed.put(n, Names.exposed(prefix, n, 32))));
    return exposed;
  }

  /**
   * The upstream's own name for an exposed tool or prompt name, or null when it is not listed.
   * Names within the budget just lose their prefix and are not looked up unless
   * {@code mustExist}; a shortened name is always looked up in the upstream's full list.
   */
  Future<String> originalName(Scope scope, Endpoint endpoint, Kind kind, Routes.Target target, String exposedName,
      boolean mustExist) {
    if (!mustExist && (!endpoint.prefixed() || !Names.maybeShortened(exposedName))) {
      return Future.succeededFuture(target.name());
    }
    if (!endpoint.prefixed()) {
      // a filtered single server: a hidden tool and a missing one get the same answer
      return all(scope, target.upstream(), kind).map(items -> items.stream()
          .anyMatch(o -> o instanceof JsonObject item && exposedName.equals(item.getString(kind.key())))
          ? exposedName : null);
    }
    return all(scope, target.upstream(), kind).map(items -> {
      Map<String, String> exposed = exposedNames(target.upstream(), items);
      return exposed.entrySet().stream().filter(e -> e.getValue().equals(exposedName))
          .map(Map.Entry::getKey).findFirst().orElse(mustExist ? null : target.name());
    });
  }

  /** Every item of one upstream's list, following its cursors (cached pages). */
  Future<JsonArray> all(Scope scope, String upstream, Kind kind) {
    return allFrom(scope, upstream, kind, null, new JsonArray(), 0);
  }

  private Future<JsonArray> allFrom(Scope scope, String upstream, Kind kind, String cursor, JsonArray acc, int n) {
    return page(scope, upstream, kind, cursor).compose(result -> {
      acc.addAll(result.getJsonArray(kind.field(), new JsonArray()));
      String next = result.getString("nextCursor");
      return next != null && n + 1 < MAX_PAGES
          ? allFrom(scope, upstream, kind, next, acc, n + 1)
          : Future.succeededFuture(acc);
    });
  }

  /** One upstream page, from the scope's cache or the upstream (within its list timeout). */
  Future<JsonObject> page(Scope scope, String upstream, Kind kind, String cursor) {
    String key = cacheKey(upstream, kind.method(), cursor);
    CachedPage cached = scope.listCache.get(key);
    long now = System.currentTimeMillis();
    if (cached != null && cached.expiresAt > now) {
      return Future.succeededFuture(CacheHints.remaining(cached.result, cached.expiresAt - now));
    }
    JsonObject params = cursor == null ? new JsonObject() : new JsonObject().put("cursor", cursor);
    long timeout = config.upstreams().get(upstream).listTimeoutMs();
    return forward.apply(scope, upstream, kind.method(), params, timeout).compose(response -> {
      JsonObject result = response.getJsonObject("result");
      if (result == null) {
        return Future.failedFuture(new ListFailed(response.getJsonObject("error")));
      }
      if (kind.method().equals("tools/list") && result.getValue("tools") instanceof JsonArray tools) {
        metrics.toolsListed(upstream, tools, config.maxToolLabels());
      }
      Object ttl = result.getValue("ttlMs");
      long ttlMs = ttl instanceof Number t ? Math.max(0, t.longValue()) : config.listCacheTtlMs();
      if (ttlMs > 0) {
        scope.listCache.put(key, new CachedPage(result, System.currentTimeMillis() + ttlMs));
      }
      return Future.succeededFuture(result);
    });
  }

  /**
   * An upstream list that answered with an error (its own, or the gateway's naming it): kept
   * whole, so a caller relays the error as it is rather than wrapping its text in another one.
   */
  static final class ListFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient JsonObject error;

    ListFailed(JsonObject error) {
      super(error == null ? "no result" : error.getString("message", "no result"), null, false, false);
      this.error = error;
    }
  }

  /** Drops the cached pages of one upstream's list (its list changed). */
  static void invalidate(Scope scope, String upstream, String method) {
    String head = cacheKey(upstream, method, null);
    scope.listCache.keySet().removeIf(k -> k.startsWith(head));
  }

  private static String cacheKey(String upstream, String method, String cursor) {
    return upstream + " " + method + " " + (cursor == null ? "" : cursor);
  }

  /** The upstreams and their cursors for a page; no cursor means the first page of each. */
  private Map<String, String> decodeCursor(String cursor, Endpoint endpoint) {
    Map<String, String> cursors = new LinkedHashMap<>();
    if (cursor == null) {
      routes.upstreams(endpoint).forEach(u -> cursors.put(u, null));
      return cursors;
    }
    JsonObject decoded;
    try {
      decoded = new JsonObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a gateway cursor");
    }
    for (String upstream : routes.upstreams(endpoint)) {
      Object c = decoded.getValue(upstream);
      if (c instanceof String s) {
        cursors.put(upstream, s);
      }
    }
    if (cursors.isEmpty() || cursors.size() != decoded.size()) {
      throw new IllegalArgumentException("cursor names other upstreams");
    }
    return cursors;
  }

  private static String encodeCursor(Map<String, String> next) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        new JsonObject(new LinkedHashMap<>(next)).encode().getBytes(StandardCharsets.UTF_8));
  }
}
