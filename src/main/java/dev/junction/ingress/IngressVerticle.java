package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.Heartbeat;
import dev.junction.bus.Readiness;
import dev.junction.bus.ReadyQuery;
import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Routes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: MCP endpoints, {@code /healthz}, {@code /readyz}, {@code /metrics}. One
 * instance per event loop; all instances share the listening port. Per-request state lives in
 * {@link Exchange}s on this verticle's context.
 */
public final class IngressVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IngressVerticle.class);
  private final JunctionConfig config;
  private final int port;
  private HttpServer server;
  private Forwards forwards;

  /** @param port the port to listen on; may differ from the config's when that says 0 */
  public IngressVerticle(JunctionConfig config, int port) {
    this.config = config;
    this.port = port;
  }

  /** A verticle that does not answer a heartbeat within this is stalled. */
  static final long HEARTBEAT_TIMEOUT_MS = 2_000;

  @Override
  public Future<?> start() {
    Authenticator authenticator = new Authenticator(vertx, config, this::resource);
    JunctionMetrics metrics = JunctionMetrics.create();
    forwards = new Forwards(vertx, config.shards(), metrics);
    McpHandler mcp = new McpHandler(vertx, config, metrics, authenticator, forwards);
    Router router = Router.router(vertx);
    ResourceMetadata metadata = new ResourceMetadata(config.auth(), new Routes(config), this::resource);
    router.get(ResourceMetadata.PATH).handler(metadata::handle);
    router.get(ResourceMetadata.PATH + "/*").handler(metadata::handle);
    router.get("/healthz").handler(this::alive);
    router.get("/readyz").handler(this::ready);
    AdminHandler admin = new AdminHandler(vertx, config);
    router.get("/admin/pool").handler(admin::pool);
    router.get("/admin/upstreams").handler(admin::upstreams);
    if (BackendRegistries.getDefaultNow() != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create());
    }
    Bodies bodies = new Bodies(config.limits(), config.ingressInstances(), metrics);
    router.route("/mcp").handler(rc -> bodies.read(rc.request(), b -> mcp.handle(rc.request(), Endpoint.AGGREGATE, b)));
    router.route("/servers/:name/mcp").handler(rc -> bodies.read(rc.request(),
        b -> mcp.handle(rc.request(), Endpoint.server(rc.pathParam("name")), b)));
    router.route("/v/:name/mcp").handler(rc -> bodies.read(rc.request(),
        b -> mcp.handle(rc.request(), Endpoint.virtual(rc.pathParam("name")), b)));
    router.errorHandler(404, rc -> routingFailed(rc, JunctionError.UNKNOWN_SERVER));
    router.errorHandler(405, rc -> routingFailed(rc, JunctionError.METHOD_NOT_ALLOWED));
    router.errorHandler(500, rc -> routingFailed(rc, JunctionError.HANDLER_FAILURE));
    HostPolicy hosts = new HostPolicy(config);
    Connections connections = new Connections(vertx, config.limits(), metrics);
    // No h2c: telling it from HTTP/1.1 reads the whole first head before the connection exists,
    // which would hide a slow head from the header-read timeout.
    HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false);
    return authenticator.start().compose(v -> vertx.createHttpServer(options)
        .connectionHandler(connections::opened)
        .requestHandler(req -> {
          if (!connections.admit(req)) {
            return;
          }
          if (!hosts.allows(req)) {
            Refusal.send(req, JunctionError.FORBIDDEN_HOST, null);
            return;
          }
          router.handle(req);
        })
        .listen(port, config.host())
        .onSuccess(s -> server = s));
  }

  /**
   * Vert.x Web's own refusals (no route, wrong verb, a handler that threw): a JSON-RPC error on
   * MCP paths, JSON elsewhere, and for a failure one log line with a ref the client also gets.
   */
  private static void routingFailed(RoutingContext rc, JunctionError error) {
    if (rc.statusCode() == 404 && !Refusal.isMcpPath(rc.request().path())) {
      rc.response().setStatusCode(404).end();
      return;
    }
    JsonObject data = null;
    if (error == JunctionError.HANDLER_FAILURE) {
      String ref = UUID.randomUUID().toString();
      String why = rc.failure() == null ? "status 500" : JunctionException.describe(rc.failure());
      LOG.error("request failed (ref {}): {}", ref, why);
      data = new JsonObject().put("ref", ref);
    }
    Refusal.send(rc.request(), error, data);
  }

  /**
   * The gateway's resource URL: {@code auth.resource}, or the listen address (a wildcard host
   * becomes {@code localhost}; behind a proxy, set {@code auth.resource}).
   */
  private String resource() {
    if (config.auth().resource() != null) {
      return config.auth().resource();
    }
    String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + (server == null ? port : server.actualPort());
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
    vertx.eventBus().<Readiness>request(Addresses.HEALTH_READY, new ReadyQuery()).onComplete(ar -> {
      boolean ready = ar.succeeded() && ar.result().body().ready();
      JsonObject body = new JsonObject().put("status", ready ? "ready" : "not ready");
      if (ar.succeeded()) {
        body.put("upstreams", new JsonObject(new java.util.LinkedHashMap<>(ar.result().body().upstreams())));
      }
      if (forwards.node() != null) {
        body.put("cluster", new JsonObject().put("node", forwards.node()).put("members", forwards.members()));
      }
      rc.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json").end(body.encode());
    });
  }

  /** The bound port (useful when the config says 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
