package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.config.JunctionConfig;
import dev.junction.pool.AdminQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /admin/pool}: every shard's pool keys (hashed), sessions, ages and states. Off (404)
 * unless {@code admin.token} is configured; the token must come as {@code Authorization: Bearer}.
 * Runs on the ingress context.
 */
final class AdminHandler {
  private final Vertx vertx;
  private final JunctionConfig config;

  AdminHandler(Vertx vertx, JunctionConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  void pool(RoutingContext rc) {
    if (config.adminToken() == null) {
      rc.response().setStatusCode(404).end();
      return;
    }
    String auth = rc.request().getHeader("Authorization");
    byte[] expected = ("Bearer " + config.adminToken()).getBytes(StandardCharsets.UTF_8);
    if (auth == null || !MessageDigest.isEqual(expected, auth.getBytes(StandardCharsets.UTF_8))) {
      rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
      return;
    }
    List<Future<PoolSnapshot>> shards = new ArrayList<>();
    for (int i = 0; i < config.shards(); i++) {
      shards.add(vertx.eventBus().<PoolSnapshot>request(Addresses.pool(i) + ".admin", new AdminQuery()).map(m -> m.body()));
    }
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
