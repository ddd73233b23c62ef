package dev.junction.ingress;

import static dev.junction.ingress.Responses.error;
import static dev.junction.ingress.Responses.send;

import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Routes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The MCP endpoints ({@code /mcp}, {@code /servers/<name>/mcp} and {@code /v/<name>/mcp}, and their
 * legacy HTTP+SSE twins {@code …/sse} and {@code …/message}): checks the origin, authenticates,
 * resolves the tenant's view of the endpoint, and hands the request to {@link PostHandler},
 * {@link SessionHandler} or {@link LegacySseHandler} by its path and verb; {@link AccessLog} logs it. Runs on
 * its ingress verticle's context.
 */
final class McpHandler {
  // owned by the ingress context; replaced by each new config version (configure)
  private Routes routes;
  private OriginPolicy origins;
  private final Authenticator authenticator;
  private final AccessLog access;
  private final PostHandler posts;
  private final SessionHandler sessions;
  private final LegacySseHandler legacy;

  McpHandler(Vertx vertx, JunctionConfig config, JunctionMetrics metrics, Authenticator authenticator,
      Forwards forwards) {
    this.authenticator = authenticator;
    this.routes = new Routes(config);
    this.origins = new OriginPolicy(config.allowedOrigins());
    this.access = new AccessLog(metrics, config);
    // the exchanges and GET streams of this ingress instance share one event consumer
    Streams streams = new Streams(vertx);
    KeepAlives keepAlives = new KeepAlives(vertx, config.sseKeepAliveMs());
    this.posts = new PostHandler(vertx, config, metrics, streams, keepAlives, forwards);
    this.sessions = new SessionHandler(vertx, config, streams, forwards);
    this.legacy = new LegacySseHandler(vertx, config, metrics, streams, forwards);
  }

  /** Takes a config version: tenants, virtual servers and upstreams apply from the next request. */
  void configure(JunctionConfig next) {
    routes = new Routes(next);
    origins = new OriginPolicy(next.allowedOrigins());
    posts.configure(next);
  }

  /** Handles one request on an MCP endpoint. */
  void handle(HttpServerRequest req, Endpoint endpoint, Buffer body) {
    handle(req, endpoint, body, false);
  }

  /** Handles one request on a legacy HTTP+SSE endpoint ({@code …/sse} or {@code …/message}, 2024-11-05). */
  void legacy(HttpServerRequest req, Endpoint endpoint, Buffer body) {
    handle(req, endpoint, body, true);
  }

  private void handle(HttpServerRequest req, Endpoint endpoint, Buffer body, boolean legacySse) {
    HttpServerResponse resp = req.response();
    // the JSON-RPC method and the tenant key, once known, for the access log and metrics
    AccessLog.Entry seen = access.begin(req, endpoint);
    if (!origins.allows(req.getHeader("Origin"))) {
      error(resp, JunctionError.FORBIDDEN_ORIGIN, null, false);
      return;
    }
    authenticator.authenticate(req, endpoint).onComplete(ar -> {
      if (ar.failed()) {
        refused(resp, ar.cause());
        return;
      }
      Identity identity = ar.result();
      seen.tenant = identity.tenantKey();
      Endpoint scoped = identity.tenant() == null ? endpoint : endpoint.forTenant(identity.tenant());
      if (!routes.exists(scoped)) {
        // a server this tenant may not use is as unknown as a missing one
        error(resp, JunctionError.UNKNOWN_SERVER, endpoint.path(), false);
        return;
      }
      if (legacySse) {
        switch (req.method().name()) {
          case "GET" -> legacy.open(req, scoped, identity);
          case "POST" -> legacy.post(req, scoped, body, seen, identity);
          default -> error(resp, JunctionError.METHOD_NOT_ALLOWED, req.method().name(), false);
        }
        return;
      }
      switch (req.method().name()) {
        case "POST" -> posts.post(req, scoped, body, seen, identity);
        case "GET" -> sessions.get(req, identity);
        case "DELETE" -> sessions.delete(req, identity);
        default -> error(resp, JunctionError.METHOD_NOT_ALLOWED, req.method().name(), false);
      }
    });
  }

  /**
   * 401 or 403 with the challenge (RFC 6750 3, RFC 9728 5.1), or 503 while the issuer's keys are
   * missing.
   */
  private static void refused(HttpServerResponse resp, Throwable err) {
    if (err instanceof AuthFailure f) {
      if (f.challenge != null) {
        resp.putHeader("WWW-Authenticate", f.challenge);
      }
      send(resp, f.error.status(false), f.error.response(null, f.getMessage(), null));
    } else {
      error(resp, JunctionError.AUTH_UNAVAILABLE, null, false);
    }
  }
}
