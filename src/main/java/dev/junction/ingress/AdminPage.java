package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.ClusterMembers;
import dev.junction.bus.LocalNode;
import dev.junction.bus.MembersQuery;
import dev.junction.config.JunctionConfig;
import dev.junction.metrics.RequestHistory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The admin page: {@code GET /admin/ui} serves one self-contained HTML file from the jar (inline
 * script and styles, no network assets); the page asks {@code /admin/upstreams}, {@code /admin/pool}
 * and {@code /admin/stats} with the admin token, which it takes from the URL fragment
 * ({@code /admin/ui#token=…}, never sent to a server) or a form. {@code /admin/stats} holds the
 * charts' points and the cluster members. Off (404) unless {@code admin.token} is set. One instance
 * per mounting verticle; its state is owned by that verticle's context.
 */
final class AdminPage {
  /** How often the charts get a point, and how many points they keep (5 minutes). */
  static final long SAMPLE_MS = 2_000;
  static final int POINTS = 150;
  private static final String PAGE = "dev/junction/admin/index.html";

  private final Vertx vertx;
  private final JunctionConfig config;
  private final AdminHandler admin;
  // owned by the mounting verticle's context
  private Buffer page;
  private RequestHistory history;

  AdminPage(Vertx vertx, JunctionConfig config, AdminHandler admin) {
    this.vertx = vertx;
    this.config = config;
    this.admin = admin;
  }

  /** Adds the page's routes, and samples the request meters while the admin API is on. */
  void mount(Router router) {
    router.get("/admin/ui").handler(this::page);
    router.get("/admin/stats").handler(this::stats);
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (config.adminToken() != null && registry != null) {
      history = new RequestHistory(registry, POINTS);
      history.sample(System.currentTimeMillis());
      vertx.setPeriodic(SAMPLE_MS, t -> history.sample(System.currentTimeMillis()));
    }
  }

  /** The page itself holds no data: it is served to anyone who may reach the admin API, and asks for the token. */
  private void page(RoutingContext rc) {
    if (config.adminToken() == null) {
      rc.response().setStatusCode(404).end();
      return;
    }
    Future<Buffer> html = page != null ? Future.succeededFuture(page) : vertx.fileSystem().readFile(PAGE);
    html.onComplete(ar -> {
      if (ar.failed()) {
        rc.response().setStatusCode(500).end();
        return;
      }
      page = ar.result();
      rc.response().putHeader("Content-Type", "text/html; charset=utf-8")
          // everything is inline: nothing may load from elsewhere, and nobody may frame the page
          .putHeader("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
              + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; frame-ancestors 'none'")
          .putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store")
          .end(page);
    });
  }

  /** {@code GET /admin/stats}: the charts' points, and this node and the members when clustered. */
  private void stats(RoutingContext rc) {
    if (!admin.allowed(rc)) {
      return;
    }
    JsonObject body = new JsonObject().put("sampleMs", SAMPLE_MS)
        .put("points", history == null ? new JsonArray() : history.points());
    Future<?> cluster = LocalNode.id(vertx) == null ? Future.succeededFuture()
        : vertx.eventBus().<ClusterMembers>request(Addresses.CLUSTER_MEMBERS_QUERY, new MembersQuery())
            .onSuccess(m -> body.put("cluster", new JsonObject().put("node", m.body().node())
                .put("members", new JsonArray(m.body().members()))));
    cluster.onComplete(done -> rc.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode()));
  }
}
