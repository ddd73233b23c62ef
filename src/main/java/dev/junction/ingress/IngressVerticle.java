package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.ConfigApplied;
import dev.junction.bus.ConfigChanged;
import dev.junction.bus.DrainStarted;
import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: MCP endpoints, and {@code /healthz}, {@code /readyz}, {@code /metrics} and
 * {@code /admin/*} unless a management listener serves them ({@link ManagementVerticle}). One
 * instance per event loop; all instances share the listening port. Per-request state lives in
 * {@link Exchange}s on this verticle's context.
 */
public final class IngressVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IngressVerticle.class);
  private final JunctionConfig config;
  private final int port;
  private HttpServer server;
  // owned by this verticle's context: set when a drain starts
  private long shutdownTimeoutMs;

  /** @param port the port to listen on; may differ from the config's when that says 0 */
  public IngressVerticle(JunctionConfig config, int port) {
    this.config = config;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Authenticator authenticator = new Authenticator(vertx, config, this::resource);
    JunctionMetrics metrics = JunctionMetrics.create();
    Forwards forwards = new Forwards(vertx, config.shards(), metrics);
    McpHandler mcp = new McpHandler(vertx, config, metrics, authenticator, forwards);
    Router router = Router.router(vertx);
    ResourceMetadata metadata = new ResourceMetadata(config, this::resource);
    router.get(ResourceMetadata.PATH).handler(metadata::handle);
    router.get(ResourceMetadata.PATH + "/*").handler(metadata::handle);
    OperationsRoutes operations = new OperationsRoutes(vertx, config);
    if (config.management() == null) {
      operations.mount(router);
    }
    vertx.eventBus().<ConfigChanged>localConsumer(Addresses.CONFIG_CHANGED, m -> {
      authenticator.configure(m.body().config());
      metadata.configure(m.body().config());
      mcp.configure(m.body().config());
      operations.changed(m.body());
      vertx.eventBus().send(Addresses.CONFIG_APPLIED, new ConfigApplied(m.body().version()));
    });
    vertx.eventBus().<DrainStarted>localConsumer(Addresses.DRAIN, m -> {
      operations.drain();
      shutdownTimeoutMs = m.body().timeoutMs();
    });
    Bodies bodies = new Bodies(config.limits(), config.ingressInstances(), metrics);
    router.route("/mcp").handler(rc -> bodies.read(rc.request(), b -> mcp.handle(rc.request(), Endpoint.AGGREGATE, b)));
    router.route("/servers/:name/mcp").handler(rc -> bodies.read(rc.request(),
        b -> mcp.handle(rc.request(), Endpoint.server(rc.pathParam("name")), b)));
    router.route("/v/:name/mcp").handler(rc -> bodies.read(rc.request(),
        b -> mcp.handle(rc.request(), Endpoint.virtual(rc.pathParam("name")), b)));
    // the legacy HTTP+SSE transport (2024-11-05): GET …/sse, POST …/message
    for (String leg : new String[] {"sse", "message"}) {
      router.route("/" + leg).handler(rc -> bodies.read(rc.request(),
          b -> mcp.legacy(rc.request(), Endpoint.AGGREGATE, b)));
      router.route("/servers/:name/" + leg).handler(rc -> bodies.read(rc.request(),
          b -> mcp.legacy(rc.request(), Endpoint.server(rc.pathParam("name")), b)));
      router.route("/v/:name/" + leg).handler(rc -> bodies.read(rc.request(),
          b -> mcp.legacy(rc.request(), Endpoint.virtual(rc.pathParam("name")), b)));
    }
    router.errorHandler(404, rc -> routingFailed(rc, JunctionError.UNKNOWN_SERVER));
    router.errorHandler(405, rc -> routingFailed(rc, JunctionError.METHOD_NOT_ALLOWED));
    router.errorHandler(500, rc -> routingFailed(rc, JunctionError.HANDLER_FAILURE));
    HostPolicy hosts = new HostPolicy(config);
    Connections connections = new Connections(vertx, config.limits(), metrics);
    // No h2c: telling it from HTTP/1.1 reads the whole first head before the connection exists,
    // which would hide a slow head from the header-read timeout.
    // No WebSocket compression either: the gateway serves no WebSockets, and the handler that
    // negotiates it would sit in every connection's pipeline.
    HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false)
        .setPerFrameWebSocketCompressionSupported(false).setPerMessageWebSocketCompressionSupported(false);
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
          // the MCP paths go straight to their handler: walking the router costs each call a few
          // percent of its CPU; any other shape of path (or a name to decode) still goes through it
          Endpoint endpoint = McpPaths.endpoint(req.path());
          if (endpoint == null) {
            router.handle(req);
            return;
          }
          try {
            bodies.read(req, b -> mcp.handle(req, endpoint, b));
          } catch (RuntimeException e) {
            failed(req, e);
          }
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
    if (error == JunctionError.HANDLER_FAILURE) {
      failed(rc.request(), rc.failure());
      return;
    }
    Refusal.send(rc.request(), error, null);
  }

  /** A handler that threw: one log line with a ref the client also gets. */
  private static void failed(HttpServerRequest req, Throwable failure) {
    String ref = UUID.randomUUID().toString();
    String why = failure == null ? "status 500" : JunctionException.describe(failure);
    LOG.error("request failed (ref {}): {}", ref, why);
    Refusal.send(req, JunctionError.HANDLER_FAILURE, new JsonObject().put("ref", ref));
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
    String authority = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + authority + ":" + (server == null ? port : server.actualPort());
  }

  /**
   * Undeployed during a drain: the listener closes, and open connections get up to the drain
   * timeout to finish their requests and streams (0 outside a drain: they close at once).
   */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(shutdownTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The bound port (useful when the config says 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
