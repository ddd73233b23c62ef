package dev.junction.pool;

import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.routing.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers {@code initialize} (session-based) and {@code server/discover} (2026-07-28) for an
 * endpoint: a single server's own answer, or on the aggregate endpoint the merge of every
 * reachable upstream's capabilities and instructions. Runs on the shard context.
 */
final class Discovery {
  static final String NAME = "junction";
  static final String VERSION = "0.1.0";
  /** How long a stateless client may cache a discover result. */
  static final long DISCOVER_TTL_MS = 60_000;

  private Discovery() {
  }

  /** The initialize response for a new downstream session. */
  static Future<JsonObject> initialize(PoolShardVerticle shard, Scope scope, Endpoint endpoint, Object id) {
    return connectAll(shard, scope, endpoint).map(sessions -> {
      if (sessions.isEmpty() && !shard.routes().upstreams(endpoint).isEmpty()) {
        return unavailable(endpoint, id);
      }
      JsonObject result = endpoint.prefixed()
          ? merged(shard, sessions)
          : sessions.get(0).description().initializeResult();
      result.put("protocolVersion", scope.protocolVersion);
      return JsonRpc.result(id, result);
    });
  }

  /** The server/discover response (2026-07-28 server/discover). */
  static Future<JsonObject> discover(PoolShardVerticle shard, Scope scope, Endpoint endpoint, Object id) {
    return connectAll(shard, scope, endpoint).map(sessions -> {
      if (sessions.isEmpty() && !shard.routes().upstreams(endpoint).isEmpty()) {
        return unavailable(endpoint, id);
      }
      JsonObject init = endpoint.prefixed()
          ? merged(shard, sessions)
          : sessions.get(0).description().initializeResult();
      JsonObject result = new JsonObject()
          .put("supportedVersions", new JsonArray(List.copyOf(ProtocolVersion.SUPPORTED)))
          .put("capabilities", init.getJsonObject("capabilities", new JsonObject()))
          .put("_meta", new JsonObject().put("io.modelcontextprotocol/serverInfo",
              init.getJsonObject("serverInfo", serverInfo())))
          .put("ttlMs", DISCOVER_TTL_MS)
          .put("cacheScope", "private");
      if (init.getString("instructions") != null) {
        result.put("instructions", init.getString("instructions"));
      }
      return JsonRpc.result(id, result);
    });
  }

  private static JsonObject unavailable(Endpoint endpoint, Object id) {
    String upstream = endpoint.prefixed() ? "*" : endpoint.server();
    return JunctionError.UPSTREAM_UNAVAILABLE.upstreamResponse(id, upstream, "no upstream could be initialized");
  }

  /**
   * A session of every upstream of the endpoint, for its initialize result; those that fail are
   * left out (fail-open). Each lease is released at once.
   */
  private static Future<List<UpstreamSession>> connectAll(PoolShardVerticle shard, Scope scope, Endpoint endpoint) {
    List<Future<Lease>> all = new ArrayList<>();
    for (String name : shard.routes().upstreams(endpoint)) {
      all.add(shard.pool().acquire(scope, shard.pool().serving(name)));
    }
    return Future.join(all).transform(ar -> {
      List<UpstreamSession> ok = new ArrayList<>();
      for (Future<Lease> f : all) {
        if (f.succeeded()) {
          ok.add(f.result().session());
          shard.pool().release(f.result(), Reply.LEASED);
        }
      }
      return Future.succeededFuture(ok);
    });
  }

  /** Capabilities offered by some upstream, and each upstream's instructions under its prefix. */
  private static JsonObject merged(PoolShardVerticle shard, List<UpstreamSession> sessions) {
    JsonObject caps = new JsonObject();
    StringBuilder instructions = new StringBuilder();
    for (UpstreamSession s : sessions) {
      JsonObject theirs = s.description().capabilities();
      for (String key : List.of("tools", "prompts", "resources", "logging", "completions")) {
        JsonObject cap = theirs.getJsonObject(key);
        if (cap != null) {
          JsonObject mine = caps.getJsonObject(key, new JsonObject());
          cap.forEach(e -> {
            if (Boolean.TRUE.equals(e.getValue())) {
              mine.put(e.getKey(), true);
            }
          });
          caps.put(key, mine);
        }
      }
      String text = s.description().instructions();
      if (text != null && !text.isBlank()) {
        instructions.append(instructions.length() == 0 ? "" : "\n\n")
            .append('[').append(shard.routes().prefix(s.upstream())).append("] ").append(text);
      }
    }
    JsonObject result = new JsonObject().put("capabilities", caps).put("serverInfo", serverInfo());
    if (instructions.length() > 0) {
      result.put("instructions", instructions.toString());
    }
    return result;
  }

  static JsonObject serverInfo() {
    return new JsonObject().put("name", NAME).put("version", VERSION);
  }

}
