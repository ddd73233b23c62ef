package dev.junction.pool;

import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Routes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one downstream request to the upstream(s) that serve it and maps the answer back: names
 * are un-prefixed on the way in and prefixed on the way out, lists are merged across upstreams.
 * Runs on the shard context; holds no state of its own.
 */
final class Relay {
  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
  /** A list is followed through at most this many pages per upstream when merging. */
  private static final int MAX_PAGES = 50;

  private final JunctionConfig config;
  private final Routes routes;
  private final BiFunction<Scope, String, Future<UpstreamSession>> sessions;

  Relay(JunctionConfig config, Routes routes, BiFunction<Scope, String, Future<UpstreamSession>> sessions) {
    this.config = config;
    this.routes = routes;
    this.sessions = sessions;
  }

  /** The response to a request, with the downstream id. Never fails. */
  Future<JsonObject> handle(Scope scope, Endpoint endpoint, JsonObject request, Call call) {
    Object id = request.getValue("id");
    String method = request.getString("method");
    JsonObject params = JsonRpc.params(request);
    Future<JsonObject> answer = switch (method) {
      case "ping" -> Future.succeededFuture(JsonRpc.result(id, new JsonObject()));
      case "tools/list" -> list(scope, endpoint, method, params, "tools", "name", call);
      case "prompts/list" -> list(scope, endpoint, method, params, "prompts", "name", call);
      case "resources/list" -> list(scope, endpoint, method, params, "resources", "uri", call);
      case "resources/templates/list" -> list(scope, endpoint, method, params, "resourceTemplates", "uriTemplate", call);
      case "tools/call", "prompts/get" -> byName(scope, endpoint, method, params, call);
      case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
          byUri(scope, endpoint, method, params, params.getString("uri"), call);
      case "completion/complete" -> complete(scope, endpoint, params, call);
      case "logging/setLevel" -> everywhere(scope, endpoint, method, params, call);
      default -> endpoint.aggregate()
          ? Future.succeededFuture(JunctionError.METHOD_NOT_FOUND.response(id, method, null))
          : forward(scope, endpoint.server(), method, params, call);
    };
    return answer.map(response -> response.put("id", id));
  }

  /** Sends one request to one upstream; the answer keeps the upstream's id until {@link #handle} restores it. */
  Future<JsonObject> forward(Scope scope, String upstream, String method, JsonObject params, Call call) {
    long timeout = config.upstreams().get(upstream).requestTimeoutMs();
    return sessions.apply(scope, upstream)
        .compose(s -> s.call(method, params, call, timeout))
        .otherwise(err -> JunctionError.UPSTREAM_UNAVAILABLE.upstreamResponse(null, upstream, err.getMessage()));
  }

  private Future<JsonObject> byName(Scope scope, Endpoint endpoint, String method, JsonObject params, Call call) {
    Routes.Target target = routes.resolve(endpoint, params.getString("name"));
    if (target == null) {
      String what = method.startsWith("tools") ? "Unknown tool" : "Unknown prompt";
      return Future.succeededFuture(JunctionError.INVALID_PARAMS.response(null, what + ": " + params.getString("name"), null));
    }
    JsonObject renamed = JsonRpc.shallowCopy(params).put("name", target.name());
    return forward(scope, target.upstream(), method, renamed, call);
  }

  private Future<JsonObject> byUri(Scope scope, Endpoint endpoint, String method, JsonObject params, String uri, Call call) {
    String upstream = endpoint.aggregate() ? owner(scope, uri) : endpoint.server();
    if (upstream == null) {
      return Future.succeededFuture(JunctionError.INVALID_PARAMS.response(null, "Unknown resource: " + uri, null));
    }
    return forward(scope, upstream, method, params, call);
  }

  /** The upstream that listed this URI, or whose template prefix it matches, or the only upstream. */
  private String owner(Scope scope, String uri) {
    if (uri == null) {
      return null;
    }
    String exact = scope.resourceOwners.get(uri);
    if (exact != null) {
      return exact;
    }
    for (var e : scope.resourceOwners.entrySet()) {
      int brace = e.getKey().indexOf('{');
      if (brace > 0 && uri.startsWith(e.getKey().substring(0, brace))) {
        return e.getValue();
      }
    }
    List<String> all = routes.upstreams(Endpoint.AGGREGATE);
    return all.size() == 1 ? all.get(0) : null;
  }

  private Future<JsonObject> complete(Scope scope, Endpoint endpoint, JsonObject params, Call call) {
    JsonObject ref = params.getJsonObject("ref", new JsonObject());
    if ("ref/prompt".equals(ref.getString("type"))) {
      Routes.Target target = routes.resolve(endpoint, ref.getString("name"));
      if (target == null) {
        return Future.succeededFuture(JunctionError.INVALID_PARAMS.response(null, "Unknown prompt: " + ref.getString("name"), null));
      }
      JsonObject renamed = JsonRpc.shallowCopy(params)
          .put("ref", JsonRpc.shallowCopy(ref).put("name", target.name()));
      return forward(scope, target.upstream(), "completion/complete", renamed, call);
    }
    return byUri(scope, endpoint, "completion/complete", params, ref.getString("uri"), call);
  }

  /** Sends the request to every upstream of the endpoint; succeeds when any does. */
  private Future<JsonObject> everywhere(Scope scope, Endpoint endpoint, String method, JsonObject params, Call call) {
    List<Future<JsonObject>> all = new ArrayList<>();
    for (String upstream : routes.upstreams(endpoint)) {
      all.add(forward(scope, upstream, method, params, call));
    }
    return Future.join(all).transform(ar -> {
      for (Future<JsonObject> f : all) {
        if (f.result() != null && f.result().containsKey("result")) {
          return Future.succeededFuture(JsonRpc.result(null, new JsonObject()));
        }
      }
      return Future.succeededFuture(all.isEmpty() ? JsonRpc.result(null, new JsonObject()) : all.get(0).result());
    });
  }

  /**
   * A list request. On a single-server endpoint it passes through, cursor and all. On the
   * aggregate endpoint every upstream's pages are fetched and merged, names prefixed; an
   * upstream that fails is left out and logged (fail-open).
   */
  private Future<JsonObject> list(Scope scope, Endpoint endpoint, String method, JsonObject params,
      String field, String key, Call call) {
    if (!endpoint.aggregate()) {
      return forward(scope, endpoint.server(), method, params, call).map(response -> {
        recordOwners(scope, endpoint.server(), response.getJsonObject("result"), field, key);
        return response;
      });
    }
    List<String> upstreams = routes.upstreams(endpoint);
    List<Future<JsonArray>> parts = new ArrayList<>();
    for (String upstream : upstreams) {
      parts.add(allPages(scope, upstream, method, field, null, new JsonArray(), 0));
    }
    return Future.join(parts).transform(ar -> {
      JsonArray merged = new JsonArray();
      for (int i = 0; i < parts.size(); i++) {
        String upstream = upstreams.get(i);
        Future<JsonArray> part = parts.get(i);
        if (part.failed()) {
          LOG.warn("{}: upstream {} left out: {}", method, upstream, part.cause().getMessage());
          continue;
        }
        for (Object o : part.result()) {
          if (!(o instanceof JsonObject item)) {
            continue;
          }
          if ("name".equals(key)) {
            JsonObject renamed = JsonRpc.shallowCopy(item);
            renamed.put("name", routes.exposed(endpoint, upstream, item.getString("name")));
            merged.add(renamed);
          } else {
            scope.resourceOwners.put(item.getString(key), upstream);
            merged.add(item);
          }
        }
      }
      return Future.succeededFuture(JsonRpc.result(null, new JsonObject().put(field, merged)));
    });
  }

  private Future<JsonArray> allPages(Scope scope, String upstream, String method, String field,
      String cursor, JsonArray acc, int page) {
    JsonObject params = cursor == null ? new JsonObject() : new JsonObject().put("cursor", cursor);
    return forward(scope, upstream, method, params, null).compose(response -> {
      JsonObject result = response.getJsonObject("result");
      if (result == null) {
        JsonObject error = response.getJsonObject("error");
        return Future.failedFuture(error == null ? "no result" : error.getString("message"));
      }
      JsonArray items = result.getJsonArray(field, new JsonArray());
      acc.addAll(items);
      String next = result.getString("nextCursor");
      if (next != null && page + 1 < MAX_PAGES) {
        return allPages(scope, upstream, method, field, next, acc, page + 1);
      }
      return Future.succeededFuture(acc);
    });
  }

  private static void recordOwners(Scope scope, String upstream, JsonObject result, String field, String key) {
    if (result == null || "name".equals(key)) {
      return;
    }
    for (Object o : result.getJsonArray(field, new JsonArray())) {
      if (o instanceof JsonObject item && item.getString(key) != null) {
        scope.resourceOwners.put(item.getString(key), upstream);
      }
    }
  }
}
