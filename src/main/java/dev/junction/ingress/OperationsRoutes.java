package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.ClusterMembers;
import dev.junction.bus.ConfigChanged;
import dev.junction.bus.Heartbeat;
import dev.junction.bus.LocalNode;
import dev.junction.bus.MembersQuery;
import dev.junction.bus.Readiness;
import dev.junction.bus.ReadyQuery;
import dev.junction.config.JunctionConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The routes for operators rather than MCP clients: {@code /healthz}, {@code /readyz},
 * {@code /metrics} and {@code /admin/*}. Mounted on the MCP listener, or on the management
 * listener when {@code management} is configured. One instance per verticle; its drain flag is
 * owned by that verticle's context.
 */
final class OperationsRoutes {
  /** A verticle that does not answer a heartbeat within this is stalled. */
  static final long HEARTBEAT_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final JunctionConfig config;
  private final AdminHandler admin;
  private final ConfigRoutes configs;
  // owned by the mounting verticle's context
  private boolean draining;

  OperationsRoutes(Vertx vertx, JunctionConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.admin = new AdminHandler(vertx, config);
    this.configs = new ConfigRoutes(vertx, config, admin);
  }

  /** Adds the routes to {@code router}. */
  void mount(Router router) {
    router.get("/healthz").handler(this::alive);
    router.get("/readyz").handler(this::ready);
    router.get("/admin/pool").handler(admin::pool);
    router.get("/admin/upstreams").handler(admin::upstreams);
    new AdminPage(vertx, config, admin).mount(router);
    router.get("/admin/config").handler(configs::show);
    router.post("/admin/reload").handler(configs::reload);
    if (BackendRegistries.getDefaultNow() != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create());
    }
  }

  /** A new config version runs: {@code /readyz} and {@code /admin/*} show it. */
  void changed(ConfigChanged change) {
    admin.configure(change.config());
    configs.changed(change);
  }

  /** From now on {@code /readyz} answers 503, so load balancers stop sending new work here. */
  void drain() {
    draining = true;
  }

  /**
   * Alive while the event loops answer: this one (it runs the handler), every pool shard's and the
   * health verticle's, each asked for a heartbeat over the event bus.
   */
  private void alive(RoutingContext rc) {
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(HEARTBEAT_TIMEOUT_MS);
    List<Future<?>> beats = new ArrayList<>();
    beats.add(vertx.eventBus().request(Addresses.HEALTH_HEARTBEAT, new Heartbeat(), quick));
    for (int i = 0; i < config.shards(); i++) {
      beats.add(vertx.eventBus().request(Addresses.heartbeat(i), new Heartbeat(), quick));
    }
    Future.join(beats).onComplete(ar -> {
      long answered = beats.stream().filter(Future::succeeded).count();
      boolean alive = answered == beats.size();
      rc.response().setStatusCode(alive ? 200 : 503).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", alive ? "alive" : "stalled").put("answered", answered)
              .put("asked", beats.size()).encode());
    });
  }

  private void ready(RoutingContext rc) {
    if (draining) {
      rc.response().setStatusCode(503).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", "draining").encode());
      return;
    }
    vertx.eventBus().<Readiness>request(Addresses.HEALTH_READY, new ReadyQuery()).onComplete(ar -> {
      boolean ready = !draining && ar.succeeded() && ar.result().body().ready();
      JsonObject body = new JsonObject().put("status", draining ? "draining" : ready ? "ready" : "not ready")
          .put("configVersion", configs.version());
      if (ar.succeeded()) {
        body.put("upstreams", new JsonObject(new LinkedHashMap<>(ar.result().body().upstreams())));
      }
      clustered(body).onComplete(done -> rc.response().setStatusCode(ready ? 200 : 503)
          .putHeader("Content-Type", "application/json").end(body.encode()));
    });
  }

  /** In a cluster, adds this node's id and the member count, as the cluster verticle sees them. */
  private Future<?> clustered(JsonObject body) {
    if (LocalNode.id(vertx) == null) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().<ClusterMembers>request(Addresses.CLUSTER_MEMBERS_QUERY, new MembersQuery())
        .onSuccess(m -> body.put("cluster", new JsonObject().put("node", m.body().node())
            .put("members", m.body().members().size())));
  }
}
