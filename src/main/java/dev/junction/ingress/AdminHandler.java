package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.AdminQuery;
import dev.junction.bus.PoolSnapshot;
import dev.junction.bus.UpstreamsQuery;
import dev.junction.bus.UpstreamsView;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /admin/pool}: every shard's pool keys (hashed), sessions, ages and states;
 * {@code GET /admin/upstreams}: every upstream's health and stderr. Off (404) unless
 * {@code admin.token} is configured; the token must come as {@code Authorization: Bearer}.
 * Runs on the ingress context.
 */
final class AdminHandler {
  private final Vertx vertx;
  // owned by the mounting verticle's context: replaced by each new config version
  private JunctionConfig config;

  AdminHandler(Vertx vertx, JunctionConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** A new config version runs (the admin token and upstreams may have changed). */
  void configure(JunctionConfig next) {
    config = next;
  }

  /** Answers 404 (admin off) or 401 (bad token) and returns false, or returns true. */
  boolean allowed(RoutingContext rc) {
    if (config.adminToken() == null) {
      rc.response().setStatusCode(404).end();
      return false;
    }
    String auth = rc.request().getHeader("Authorization");
    byte[] expected = ("Bearer " + config.adminToken()).getBytes(StandardCharsets.UTF_8);
    if (auth == null || !MessageDigest.isEqual(expected, auth.getBytes(StandardCharsets.UTF_8))) {
      rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
      return false;
    }
    return true;
  }

  private List<Future<PoolSnapshot>> shards() {
    List<Future<PoolSnapshot>> shards = new ArrayList<>();
    for (int i = 0; i < config.shards(); i++) {
      shards.add(vertx.eventBus().<PoolSnapshot>request(Addresses.admin(i), new AdminQuery()).map(m -> m.body()));
    }
    return shards;
  }

  /**
   * {@code GET /admin/upstreams}: each upstream's health (state, circuit, failures, who serves
   * it, last error and probe), its running processes, and the newest stderr lines of its
   * processes across shards, oldest first.
   */
  void upstreams(RoutingContext rc) {
    if (!allowed(rc)) {
      return;
    }
    Future<UpstreamsView> health = vertx.eventBus()
        .<UpstreamsView>request(Addresses.HEALTH_UPSTREAMS, new UpstreamsQuery())
        .map(m -> m.body());
    List<Future<PoolSnapshot>> shards = shards();
    List<Future<?>> all = new ArrayList<>(shards);
    all.add(health);
    Future.all(all).onComplete(ar -> {
      if (ar.failed()) {
        rc.response().setStatusCode(503).end();
        return;
      }
      JsonObject view = health.result().upstreams();
      for (String upstream : view.fieldNames()) {
        if (!config.upstreams().containsKey(upstream)
            || config.upstreams().get(upstream).transport() != UpstreamOptions.Transport.STDIO) {
          continue;
        }
        List<JsonObject> lines = new ArrayList<>();
        for (Future<PoolSnapshot> f : shards) {
          f.result().stderr().getJsonArray(upstream, new JsonArray()).forEach(l -> lines.add((JsonObject) l));
        }
        lines.sort(Comparator.comparing(l -> l.getString("at")));
        int keep = config.upstreams().get(upstream).stderrLines();
        List<JsonObject> newest = lines.subList(Math.max(0, lines.size() - keep), lines.size());
        view.getJsonObject(upstream).put("stderr", new JsonArray(new ArrayList<>(newest)));
      }
      rc.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("upstreams", view).encode());
    });
  }

  void pool(RoutingContext rc) {
    if (!allowed(rc)) {
      return;
    }
    List<Future<PoolSnapshot>> shards = shards();
    Future.all(shards).onComplete(ar -> {
      if (ar.failed()) {
        rc.response().setStatusCode(503).end();
        return;
      }
      JsonArray keys = new JsonArray();
      int sessions = 0;
      for (Future<PoolSnapshot> f : shards) {
        for (Object k : f.result().keys()) {
          JsonObject key = ((JsonObject) k).put("shard", f.result().shard());
          sessions += key.getJsonArray("sessions").size();
          keys.add(key);
        }
      }
      rc.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("keyCount", keys.size()).put("sessionCount", sessions).put("keys", keys).encode());
    });
  }
}
