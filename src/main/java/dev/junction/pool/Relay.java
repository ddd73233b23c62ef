package dev.junction.pool;

import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.error.Outcome;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMethod;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.metrics.Tracing;
import dev.junction.routing.Endpoint;
import dev.junction.routing.ResourceUris;
import dev.junction.routing.Routes;
import dev.junction.routing.ToolFilter;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Routes one downstream request to the upstream(s) that serve it and maps the answer back: names
 * lose their prefix on the way in and gateway URIs become the upstream's own; lists are merged by
 * {@link Lists}. Runs on the shard context; holds no state of its own.
 */
final class Relay {
  // replaced by each new config version (configure), on the shard context
  private JunctionConfig config;
  private Routes routes;
  private final UpstreamPool pool;
  private final BiConsumer<Call, JsonObject> toCall;
  private final RateLimits limits;
  private final MrtrRounds rounds;
  private final MrtrToClient toClient;
  private final CallSpans spans;
  private final JunctionMetrics metrics;
  final Lists lists;

  /**
   * @param pool where calls lease upstream sessions
   * @param toCall streams a message to a call's exchange (logging notifications about left-out upstreams)
   * @param limits the shard's rate limits, checked before a request is routed and before it goes upstream
   * @param rounds input-required rounds of 2026-07-28 clients with 2025 upstreams
   * @param toClient input-required results of 2026-07-28 upstreams for session-based clients
   */
  Relay(JunctionConfig config, Routes routes, UpstreamPool pool, BiConsumer<Call, JsonObject> toCall,
      JunctionMetrics metrics, RateLimits limits, MrtrRounds rounds, MrtrToClient toClient, Tracing tracing) {
    this.config = config;
    this.rounds = rounds;
    this.toClient = toClient;
    this.spans = new CallSpans(tracing, config);
    this.metrics = metrics;
    this.limits = limits;
    this.routes = routes;
    this.pool = pool;
    this.toCall = toCall;
    this.lists = new Lists(config, routes, (scope, upstream, method, params, timeout) ->
        send(scope, upstream, method, params, null, timeout), metrics);
  }

  /** Takes a config version: routes, filters and timeouts apply to the next request. */
  void configure(JunctionConfig next, Routes nextRoutes) {
    config = next;
    routes = nextRoutes;
    lists.configure(next, nextRoutes);
  }

  /**
   * The response to a request, with the downstream id. Never fails. Every request but ping costs
   * a token of its tenant's rate limit first.
   */
  Future<JsonObject> handle(Scope scope, Endpoint endpoint, JsonObject request, Call call) {
    Object id = request.getValue("id");
    String method = request.getString("method");
    JsonObject params = JsonRpc.params(request);
    Span span = spans.shard(method, params, scope);
    Lists.Kind list = Lists.Kind.of(method);
    JsonObject refused = McpMethod.of(method) == McpMethod.PING ? null : limits.tenant(scope, endpoint);
    Future<JsonObject> answer;
    boolean bridged = scope.session() == null && MrtrRounds.bridges(method);
    if (refused != null) {
      answer = Future.succeededFuture(refused);
    } else if (bridged && MrtrRounds.isRetry(params)) {
      answer = rounds.retry(scope, request, call);
    } else if (list != null) {
      answer = endpoint.prefixed()
          ? lists.list(scope, endpoint, list, params, note -> toCall.accept(call, note))
          : forward(scope, endpoint, endpoint.server(), method, params, call).map(r -> {
            if (r.getValue("result") instanceof JsonObject result
                && result.getValue("tools") instanceof JsonArray tools) {
              metrics.toolsListed(endpoint.server(), tools, config.maxToolLabels());
            }
            return visibleOnly(endpoint, list, r);
          });
    } else {
      answer = switch (method) {
        case "ping" -> Future.succeededFuture(JsonRpc.result(id, new JsonObject()));
        case "tools/call" -> byName(scope, endpoint, Lists.Kind.of("tools/list"), params, call, method);
        case "prompts/get" -> byName(scope, endpoint, Lists.Kind.of("prompts/list"), params, call, method);
        case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
            byUri(scope, endpoint, method, params, call);
        case "completion/complete" -> complete(scope, endpoint, params, call);
        case "logging/setLevel" -> everywhere(scope, endpoint, method, params, call);
        default -> endpoint.prefixed()
            ? Future.succeededFuture(JunctionError.METHOD_NOT_FOUND.response(id, method, null))
            : forward(scope, endpoint, endpoint.server(), method, params, call);
      };
    }
    if (bridged && refused == null && !MrtrRounds.isRetry(params)) {
      answer = rounds.first(scope, request, call, answer);
    }
    return span == null ? answer.map(response -> response.put("id", id)) : answer.map(response -> {
      Tracing.end(span, response);
      return response.put("id", id);
    });
  }

  /** A client's request to one upstream within its request timeout (see below). */
  private Future<JsonObject> forward(Scope scope, Endpoint endpoint, String upstream, String method,
      JsonObject params, Call call) {
    long timeoutMs = config.upstreams().get(upstream).requestTimeoutMs();
    return forward(scope, endpoint, upstream, method, params, call, timeoutMs);
  }

  /**
   * A client's request to one upstream, once it is within the tenant's limits on that upstream
   * (and on the tool, for tools/call): a refused request never reaches the pool, so it neither
   * counts against the upstream's health nor takes a bulkhead slot. The lists the gateway fetches
   * by itself (aggregate pages, name lookups) are not counted here: their client's request was.
   */
  private Future<JsonObject> forward(Scope scope, Endpoint endpoint, String upstream, String method,
      JsonObject params, Call call, long timeoutMs) {
    String tool = McpMethod.of(method) == McpMethod.TOOLS_CALL ? McpMethod.TOOLS_CALL.targetOf(params) : null;
    JsonObject refused = limits.upstream(scope, endpoint, upstream, tool);
    if (refused != null) {
      return Future.succeededFuture(refused);
    }
    if (tool == null) {
      return send(scope, upstream, method, params, call, timeoutMs);
    }
    long start = System.nanoTime();
    String tenant = config.tenantLabels() && endpoint.tenant() != null ? endpoint.tenant() : "-";
    return send(scope, upstream, method, params, call, timeoutMs).onSuccess(response ->
        metrics.toolCall(upstream, tool, tenant, toolOutcome(response), System.nanoTime() - start));
  }

  /**
   * {@code error} (a JSON-RPC error), {@code tool_error} (a parsed result with isError: true) or
   * {@code ok}. A result kept as the upstream's raw bytes is not parsed for this: it counts as ok.
   */
  private static String toolOutcome(JsonObject response) {
    Object result = response.getValue("result");
    return result == null ? "error"
        : result instanceof JsonObject r && Boolean.TRUE.equals(r.getValue("isError")) ? "tool_error" : "ok";
  }

  /**
   * Leases a session of whoever serves the upstream now (itself or a failover member), sends the
   * request, and releases the lease with the call's outcome. When the upstream no longer knew
   * the session, the call goes once more on a fresh session if it is safe to repeat. When it
   * refused the gateway's credentials (401), they are renewed once and the call goes once more,
   * on a session with the new ones (it never reached the upstream's tool, so repeating is safe).
   */
  private Future<JsonObject> send(Scope scope, String upstream, String method, JsonObject params, Call call,
      long timeoutMs) {
    String target = pool.serving(upstream);
    return attempt(scope, target, method, params, call, timeoutMs)
        .compose(reply -> switch (reply.outcome()) {
          case EXPIRED -> Retries.safe(lists, scope, target, method, params).compose(safe -> safe
              ? attempt(scope, target, method, params, call, timeoutMs)
              : Future.succeededFuture(reply));
          case UNAUTHORIZED -> pool.renew(scope, target, reply.challenge()).transform(ar -> ar.succeeded()
              ? attempt(scope, target, method, params, call, timeoutMs)
              : Future.succeededFuture(reply));
          default -> Future.succeededFuture(reply);
        })
        .map(Reply::message);
  }

  private Future<Reply> attempt(Scope scope, String upstream, String method, JsonObject params, Call call,
      long timeoutMs) {
    Span span = spans.upstream(upstream, method, params);
    JsonObject sent = span == null ? params : CallSpans.carried(params, span);
    Future<Reply> reply = pool.acquire(scope, upstream)
        .compose(lease -> lease.session().call(method, sent, call, timeoutMs)
            .compose(r -> toClient.complete(lease.session(), method, sent, call, timeoutMs, r))
            .onSuccess(r -> pool.release(lease, r)))
        .otherwise(err -> {
          JsonObject message = err instanceof JunctionException je ? je.response(null)
              : JunctionError.UPSTREAM_UNAVAILABLE.upstreamResponse(null, upstream, JunctionException.describe(err));
          // a refusal of the credentials at session start was renewed by the pool already
          return new Reply(message, Outcome.REFUSED);
        });
    return span == null ? reply : reply.onSuccess(r -> Tracing.end(span, r.message()));
  }

  /** A request of the gateway's own for a scope to one upstream, within the scope's limits (subscriptions). */
  Future<JsonObject> forwardFor(Scope scope, Endpoint endpoint, String upstream, String method, JsonObject params) {
    return forward(scope, endpoint, upstream, method, params, null);
  }

  /** The upstream and its own URI for a URI a client named, or null (see {@link #resourceTarget}). */
  Routes.Target resourceTargetFor(Scope scope, Endpoint endpoint, String uri) {
    return resourceTarget(scope, endpoint, uri);
  }

  /** A single server's list without the tools its tenant's filter hides. */
  private JsonObject visibleOnly(Endpoint endpoint, Lists.Kind kind, JsonObject response) {
    ToolFilter filter = routes.filter(endpoint);
    JsonObject result = response.getJsonObject("result");
    if (filter == ToolFilter.ALL || !"tools".equals(kind.field()) || result == null
        || result.getJsonArray("tools") == null) {
      return response;
    }
    JsonArray shown = new JsonArray();
    for (Object o : result.getJsonArray("tools")) {
      if (o instanceof JsonObject tool && filter.visible(tool.getString("name", ""))) {
        shown.add(tool);
      }
    }
    // filtered by this tenant's rules: not to be shared beyond it (server/utilities/caching)
    return JsonRpc.shallowCopy(response).put("result",
        CacheHints.narrowed(JsonRpc.shallowCopy(result).put("tools", shown)));
  }

  private static JsonObject unknown(Lists.Kind kind, String name) {
    String what = "tools".equals(kind.field()) ? "Unknown tool: " : "Unknown prompt: ";
    return JunctionError.INVALID_PARAMS.response(null, what + name, null);
  }

  private Future<JsonObject> byName(Scope scope, Endpoint endpoint, Lists.Kind kind, JsonObject params, Call call,
      String method) {
    String exposed = params.getString("name");
    Routes.Target target = routes.resolve(endpoint, exposed);
    // a hidden tool gets the same answer as a missing one, so callers cannot probe for it
    if (target == null || ("tools".equals(kind.field()) && !routes.filter(endpoint).visible(exposed))) {
      return Future.succeededFuture(unknown(kind, exposed));
    }
    // where a filter hides tools, existence is checked here too, so hidden and missing tools
    // get the very same answer rather than the upstream's own wording for a missing one
    boolean mustExist = "tools".equals(kind.field()) && routes.filter(endpoint) != ToolFilter.ALL;
    return lists.originalName(scope, endpoint, kind, target, exposed, mustExist)
        .compose(name -> name == null
            ? Future.succeededFuture(unknown(kind, exposed))
            : forward(scope, endpoint, target.upstream(), method, JsonRpc.shallowCopy(params).put("name", name), call,
                "tools/call".equals(method) ? config.upstreams().get(target.upstream()).requestTimeoutMs(name)
                    : config.upstreams().get(target.upstream()).requestTimeoutMs()))
        .otherwise(err -> err instanceof Lists.ListFailed failed && failed.error != null
            ? new JsonObject().put("jsonrpc", "2.0").putNull("id").put("error", failed.error)
            : JunctionError.UPSTREAM_UNAVAILABLE.upstreamResponse(null, target.upstream(),
                JunctionException.describe(err)));
  }

  private Future<JsonObject> byUri(Scope scope, Endpoint endpoint, String method, JsonObject params, Call call) {
    String uri = params.getString("uri");
    Routes.Target target = resourceTarget(scope, endpoint, uri);
    if (target == null) {
      return Future.succeededFuture(JunctionError.INVALID_PARAMS.response(null, "Unknown resource: " + uri, null));
    }
    JsonObject upstreamParams = uri.equals(target.name())
        ? params
        : JsonRpc.shallowCopy(params).put("uri", target.name());
    return forward(scope, endpoint, target.upstream(), method, upstreamParams, call)
        .map(response -> uri.equals(target.name()) ? response : restoreUris(response, target.name(), uri));
  }

  /**
   * The upstream and its own URI for a URI a client sent: a gateway URI names its upstream; any
   * other URI goes to the upstream that listed it (or whose template it matches).
   */
  private Routes.Target resourceTarget(Scope scope, Endpoint endpoint, String uri) {
    if (uri == null) {
      return null;
    }
    if (!endpoint.prefixed()) {
      return new Routes.Target(endpoint.server(), uri);
    }
    ResourceUris.Parsed parsed = ResourceUris.parse(uri);
    if (parsed != null) {
      String upstream = routes.upstreamOfPrefix(parsed.prefix());
      return upstream == null || !routes.serves(endpoint, upstream)
          ? null
          : new Routes.Target(upstream, parsed.original());
    }
    String owner = scope.resourceOwners.get(uri);
    if (owner == null) {
      owner = scope.templateOwners.entrySet().stream()
          .filter(e -> e.getKey().indexOf('{') > 0 && uri.startsWith(e.getKey().substring(0, e.getKey().indexOf('{'))))
          .map(Map.Entry::getValue).findFirst().orElse(null);
    }
    if (owner == null && routes.upstreams(endpoint).size() == 1) {
      owner = routes.upstreams(endpoint).get(0);
    }
    return owner == null || !routes.serves(endpoint, owner) ? null : new Routes.Target(owner, uri);
  }

  /** Read results name the upstream's URI; the client asked for the gateway URI. */
  private static JsonObject restoreUris(JsonObject response, String original, String gateway) {
    JsonObject result = response.getJsonObject("result");
    JsonArray contents = result == null ? null : result.getJsonArray("contents");
    if (contents == null) {
      return response;
    }
    JsonArray mapped = new JsonArray();
    for (Object o : contents) {
      mapped.add(o instanceof JsonObject c && original.equals(c.getString("uri"))
          ? JsonRpc.shallowCopy(c).put("uri", gateway)
          : o);
    }
    return JsonRpc.shallowCopy(response).put("result", JsonRpc.shallowCopy(result).put("contents", mapped));
  }

  private Future<JsonObject> complete(Scope scope, Endpoint endpoint, JsonObject params, Call call) {
    JsonObject ref = params.getJsonObject("ref", new JsonObject());
    if ("ref/prompt".equals(ref.getString("type"))) {
      Lists.Kind prompts = Lists.Kind.of("prompts/list");
      Routes.Target target = routes.resolve(endpoint, ref.getString("name"));
      if (target == null) {
        return Future.succeededFuture(unknown(prompts, ref.getString("name")));
      }
      return lists.originalName(scope, endpoint, prompts, target, ref.getString("name"), false)
          .compose(name -> forward(scope, endpoint, target.upstream(), "completion/complete",
              JsonRpc.shallowCopy(params).put("ref", JsonRpc.shallowCopy(ref).put("name", name)), call));
    }
    String uri = ref.getString("uri");
    Routes.Target target = resourceTarget(scope, endpoint, uri);
    if (target == null) {
      return Future.succeededFuture(JunctionError.INVALID_PARAMS.response(null, "Unknown resource: " + uri, null));
    }
    return forward(scope, endpoint, target.upstream(), "completion/complete",
        JsonRpc.shallowCopy(params).put("ref", JsonRpc.shallowCopy(ref).put("uri", target.name())), call);
  }

  /** Sends the request to every upstream of the endpoint; succeeds when any does. */
  private Future<JsonObject> everywhere(Scope scope, Endpoint endpoint, String method, JsonObject params, Call call) {
    List<Future<JsonObject>> all = new ArrayList<>();
    for (String upstream : routes.upstreams(endpoint)) {
      all.add(forward(scope, endpoint, upstream, method, params, call));
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
}
