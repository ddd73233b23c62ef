package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.RelayReply;
import dev.junction.bus.RelayRequest;
import dev.junction.bus.SessionCommand;
import dev.junction.bus.SessionIds;
import dev.junction.bus.SessionReply;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMeta;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Routes;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP endpoints ({@code /mcp} and {@code /servers/<name>/mcp}): checks the HTTP and JSON-RPC
 * envelope, resolves tenant and shard, and hands the message to the shard. It parses only the
 * envelope; params and results pass through. Runs on its ingress verticle's context.
 */
final class McpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(McpHandler.class);

  private final Vertx vertx;
  private final JunctionConfig config;
  private final Routes routes;
  private final OriginPolicy origins;
  private final JunctionMetrics metrics;
  private final DeliveryOptions relayDelivery;
  private final Authenticator authenticator;
  private final KeepAlives keepAlives;
  // Owned by this handler's ingress context.
  private final Streams streams;
  private final Forwards forwards;

  McpHandler(Vertx vertx, JunctionConfig config, JunctionMetrics metrics, Authenticator authenticator,
      Forwards forwards) {
    this.vertx = vertx;
    this.forwards = forwards;
    this.authenticator = authenticator;
    this.keepAlives = new KeepAlives(vertx, config.sseKeepAliveMs());
    this.config = config;
    this.routes = new Routes(config);
    this.origins = new OriginPolicy(config.allowedOrigins());
    this.metrics = metrics;
    long longest = config.upstreams().values().stream()
        .mapToLong(u -> u.requestTimeoutMs() + u.connectTimeoutMs()).max()
        .orElse(UpstreamOptions.DEFAULT_REQUEST_TIMEOUT_MS);
    // The shard answers every request itself (with -32001 on upstream timeouts); this only
    // guards against a lost reply.
    this.relayDelivery = new DeliveryOptions().setSendTimeout(2 * longest + 5_000);
    this.streams = new Streams(vertx);
  }

  private static final Logger ACCESS = LoggerFactory.getLogger("junction.access");

  /** Handles one request on an MCP endpoint. */
  void handle(HttpServerRequest req, Endpoint endpoint, Buffer body) {
    HttpServerResponse resp = req.response();
    long start = System.nanoTime();
    // the JSON-RPC method and the tenant key, once known, for the access log and metrics
    String[] seen = new String[2];
    resp.endHandler(v -> logged(req, endpoint, seen, resp.getStatusCode(), System.nanoTime() - start));
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
      seen[1] = identity.tenantKey();
      Endpoint scoped = identity.tenant() == null ? endpoint : endpoint.forTenant(identity.tenant());
      if (!routes.exists(scoped)) {
        // a server this tenant may not use is as unknown as a missing one
        error(resp, JunctionError.UNKNOWN_SERVER, endpoint.path(), false);
        return;
      }
      switch (req.method().name()) {
        case "POST" -> post(req, scoped, body, seen, identity);
        case "GET" -> get(req, identity);
        case "DELETE" -> delete(req, identity);
        default -> error(resp, JunctionError.METHOD_NOT_ALLOWED, req.method().name(), false);
      }
    });
  }

  /** 401 or 403 with the challenge (RFC 6750 3, RFC 9728 5.1), or 503 while the issuer's keys are missing. */
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

  /**
   * One access log line and the request timer. Never the body, the headers or the session id;
   * the tenant only as a short prefix of its hash.
   */
  private void logged(HttpServerRequest req, Endpoint endpoint, String[] seen, int status, long nanos) {
    String method = seen[0];
    String outcome = status < 300 ? "ok" : status < 500 ? "client_error" : "server_error";
    metrics.request(method, endpoint.kind().label(), outcome, nanos);
    if (ACCESS.isInfoEnabled()) {
      String tenant = seen[1] == null ? "-" : seen[1];
      ACCESS.info("{} {} {} {} {}us tenant={}", req.method().name(), endpoint.path(),
          JunctionMetrics.methodLabel(method), status, nanos / 1_000, tenant.substring(0, Math.min(8, tenant.length())));
    }
  }

  /** @param seen the JSON-RPC method goes to {@code seen[0]} once parsed, for the access log and metrics */
  private void post(HttpServerRequest req, Endpoint endpoint, Buffer body, String[] seen, Identity identity) {
    HttpServerResponse resp = req.response();
    String accept = req.getHeader("Accept");
    if (accept != null && !(accept.contains("*/*") || (accept.contains(McpMeta.JSON) || accept.contains(McpMeta.SSE)))) {
      error(resp, JunctionError.NOT_ACCEPTABLE, null, false);
      return;
    }
    String type = req.getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith(McpMeta.JSON)) {
      error(resp, JunctionError.UNSUPPORTED_MEDIA_TYPE, null, false);
      return;
    }
    Object parsed;
    if (body == null || body.length() == 0) {
      // an empty body is no JSON at all: -32700, not a failure of ours
      send(resp, JunctionError.PARSE_ERROR.status(false), JunctionError.PARSE_ERROR.response(null));
      return;
    }
    try {
      // an empty body comes as no buffer at all
      parsed = Json.decodeValue(body == null ? Buffer.buffer() : body);
    } catch (DecodeException e) {
      send(resp, JunctionError.PARSE_ERROR.status(false), JunctionError.PARSE_ERROR.response(null));
      return;
    }
    if (parsed instanceof JsonObject o && o.getValue("method") instanceof String m) {
      seen[0] = m;
    }
    if (!(parsed instanceof JsonObject message)) {
      // JSON-RPC batches were dropped in 2025-06-18; a batch here is refused as a whole.
      error(resp, JunctionError.INVALID_REQUEST, "send one JSON-RPC message per POST (batches are not supported)", false);
      return;
    }
    String problem = JsonRpc.envelopeProblem(message);
    if (problem != null) {
      Object id = JsonRpc.validId(message.getValue("id")) ? message.getValue("id") : null;
      send(resp, JunctionError.INVALID_REQUEST.status(false), JunctionError.INVALID_REQUEST.response(id, problem, null));
      return;
    }
    String tenant = identity.tenantKey();
    if (TenantKeys.ANONYMOUS.equals(tenant)) {
      metrics.anonymous(!config.anonymousShared());
      if (!config.anonymousShared()) {
        send(resp, JunctionError.IDENTITY_REQUIRED.status(false),
            JunctionError.IDENTITY_REQUIRED.response(JsonRpc.validId(message.getValue("id")) ? message.getValue("id") : null));
        return;
      }
    }
    try {
      if (StatelessRules.isStateless(req.headers(), message)) {
        stateless(req, endpoint, message, identity);
      } else {
        sessionBased(req, endpoint, message, identity);
      }
    } catch (JunctionException e) {
      boolean stateless = StatelessRules.isStateless(req.headers(), message);
      send(resp, e.error().status(stateless), e.response(message.getValue("id")));
    }
  }

  private void stateless(HttpServerRequest req, Endpoint endpoint, JsonObject message, Identity tenant) {
    StatelessRules.check(req.headers(), message);
    String method = message.getString("method");
    metrics.request(method, true);
    if (JsonRpc.isRequest(message) && !StatelessRules.served(method)) {
      throw new JunctionException(JunctionError.METHOD_NOT_FOUND, method);
    }
    if (JsonRpc.isResponse(message)) {
      throw new JunctionException(JunctionError.INVALID_REQUEST, "2026-07-28 clients send no responses");
    }
    relay(req, endpoint, null, tenant, ProtocolVersion.V2026_07_28, true, message,
        body -> StatelessRules.decorate(method, body));
  }

  private void sessionBased(HttpServerRequest req, Endpoint endpoint, JsonObject message, Identity tenant) {
    MultiMap headers = req.headers();
    String method = message.getString("method");
    metrics.request(method, false);
    if ("initialize".equals(method)) {
      JsonObject params = JsonRpc.params(message);
      for (String member : new String[] {"capabilities", "clientInfo"}) {
        Object value = params.getValue(member);
        if (value != null && !(value instanceof JsonObject)) {
          throw new JunctionException(JunctionError.INVALID_PARAMS, member + " must be an object");
        }
      }
      String version = ProtocolVersion.negotiate(JsonRpc.params(message).getString("protocolVersion"));
      relay(req, endpoint, null, tenant, version, false, message, UnaryOperator.identity());
      return;
    }
    String sessionId = headers.get(McpMeta.HEADER_SESSION_ID);
    if (sessionId == null) {
      throw new JunctionException(JunctionError.MISSING_SESSION, null);
    }
    String version = headers.get(McpMeta.HEADER_PROTOCOL_VERSION);
    if (version == null) {
      version = ProtocolVersion.ASSUMED_WITHOUT_HEADER;
    } else if (!ProtocolVersion.isSessionBased(version)) {
      throw StatelessRules.unsupported(version);
    }
    relay(req, endpoint, sessionId, tenant, version, false, message, UnaryOperator.identity());
  }

  private void relay(HttpServerRequest req, Endpoint endpoint, String sessionId, Identity identity, String version,
      boolean stateless, JsonObject message, UnaryOperator<JsonObject> finish) {
    String tenant = identity.tenantKey();
    // stateless requests and initialize stay on this node; a session's go to its owner, maybe on another node
    String shardAddress = sessionId == null ? Addresses.pool(TenantKeys.shard(tenant, config.shards()))
        : forwards.poolOf(sessionId);
    if (shardAddress == null) {
      send(req.response(), 404, JunctionError.UNKNOWN_SESSION.response(null));
      return;
    }
    boolean request = JsonRpc.isRequest(message);
    if (request) {
      traced(req, message);
    }
    Exchange exchange = request
        ? new Exchange(vertx, streams, req.response(), shardAddress, sessionId, tenant, finish,
            "initialize".equals(message.getString("method")) ? null : keepAlives)
        : null;
    RelayRequest relay = new RelayRequest(endpoint, sessionId, tenant, version, stateless, message,
        exchange == null ? null : exchange.address(), identity.token());
    forwards.<RelayReply>request(shardAddress, relay, relayDelivery, "relay").onComplete(ar -> {
      if (ar.failed()) {
        String ref = UUID.randomUUID().toString();
        LOG.error("relay to {} failed (ref {}): {}", shardAddress, ref, JunctionException.describe(ar.cause()));
        JsonObject error = JunctionError.INTERNAL.response(message.getValue("id"), null, new JsonObject().put("ref", ref));
        if (exchange != null) {
          exchange.fail(JunctionError.INTERNAL.status(stateless), error);
        } else {
          send(req.response(), JunctionError.INTERNAL.status(stateless), error);
        }
        return;
      }
      RelayReply reply = ar.result().body();
      if (exchange != null) {
        exchange.reply(stateless ? statelessStatus(reply) : reply);
      } else if (reply.body() == null) {
        req.response().setStatusCode(reply.status()).end();
      } else {
        send(req.response(), reply.status(), reply.body());
      }
    });
  }

  /**
   * Continues the client's trace (header, else {@code _meta.traceparent}) as the gateway's own hop,
   * carried upstream in {@code _meta.traceparent}; HTTP transports also send it as a header. The
   * message is still this context's own: the shard has not seen it yet.
   */
  private static void traced(HttpServerRequest req, JsonObject message) {
    JsonObject params = message.getJsonObject("params");
    JsonObject meta = params == null ? null : params.getJsonObject("_meta");
    String incoming = req.getHeader("traceparent");
    if (incoming == null && meta != null) {
      incoming = meta.getString("traceparent");
    }
    String child = TraceContext.child(incoming);
    if (child == null) {
      return;
    }
    if (params == null) {
      params = new JsonObject();
      message.put("params", params);
    }
    if (meta == null) {
      meta = new JsonObject();
      params.put("_meta", meta);
    }
    meta.put("traceparent", child);
  }

  /** 2026-07-28 maps some JSON-RPC errors to HTTP statuses (an unknown method is 404). */
  private static RelayReply statelessStatus(RelayReply reply) {
    JsonObject error = reply.body() == null ? null : reply.body().getJsonObject("error");
    if (error != null && error.getValue("code") instanceof Integer) {
      return new RelayReply(JunctionError.statelessStatusOf(error), reply.body(), null, reply.streamed());
    }
    return reply;
  }

  /** The shard named by a single node's session id among {@code shards}, or -1 ({@link SessionIds}). Pure. */
  static int shardOf(String sessionId, int shards) {
    return SessionIds.shardOf(sessionId, shards);
  }

  /** GET opens the session's stream for server-initiated messages (basic/transports). */
  private void get(HttpServerRequest req, Identity identity) {
    HttpServerResponse resp = req.response();
    if (ProtocolVersion.V2026_07_28.equals(req.getHeader(McpMeta.HEADER_PROTOCOL_VERSION))) {
      resp.putHeader("Allow", "POST");
      error(resp, JunctionError.METHOD_NOT_ALLOWED, "2026-07-28 has no GET stream", true);
      return;
    }
    String accept = req.getHeader("Accept");
    if (accept == null || !(accept.contains(McpMeta.SSE) || accept.contains("*/*"))) {
      error(resp, JunctionError.NOT_ACCEPTABLE, null, false);
      return;
    }
    String sessionId = req.getHeader(McpMeta.HEADER_SESSION_ID);
    if (sessionId == null) {
      error(resp, JunctionError.MISSING_SESSION, null, false);
      return;
    }
    String pool = forwards.poolOf(sessionId);
    if (pool == null) {
      error(resp, JunctionError.UNKNOWN_SESSION, null, false);
      return;
    }
    String tenant = identity.tenantKey();
    String shardAddress = Addresses.sessionsOf(pool);
    String address = streams.open(event -> Sse.write(resp, event.message()));
    SessionCommand open = new SessionCommand(SessionCommand.Kind.OPEN_STREAM, sessionId, tenant, address);
    forwards.<SessionReply>request(shardAddress, open, new DeliveryOptions(), "stream").onComplete(ar -> {
          JunctionError refused = refusal(ar);
          if (refused != null) {
            streams.close(address);
            error(resp, refused, null, false);
            return;
          }
          resp.setChunked(true).setStatusCode(200);
          Sse.headers(resp);
          resp.writeHead();
          long keepAlive = vertx.setPeriodic(config.sseKeepAliveMs(), t -> Sse.keepAlive(resp));
          // the owner node's loss ends the stream: the session is gone with it
          Runnable lost = () -> resp.reset(); // closes the connection, which runs the close handler
          String owner = forwards.watchStream(shardAddress, lost);
          resp.closeHandler(v -> {
            forwards.unwatch(owner, lost);
            vertx.cancelTimer(keepAlive);
            streams.close(address);
            vertx.eventBus().send(shardAddress, new SessionCommand(SessionCommand.Kind.CLOSE_STREAM, sessionId, tenant, address));
          });
        });
  }

  /** DELETE ends the session and closes its upstream sessions (basic/transports, "Session Management"). */
  private void delete(HttpServerRequest req, Identity identity) {
    HttpServerResponse resp = req.response();
    if (ProtocolVersion.V2026_07_28.equals(req.getHeader(McpMeta.HEADER_PROTOCOL_VERSION))) {
      resp.putHeader("Allow", "POST");
      error(resp, JunctionError.METHOD_NOT_ALLOWED, "2026-07-28 has no sessions", true);
      return;
    }
    String sessionId = req.getHeader(McpMeta.HEADER_SESSION_ID);
    if (sessionId == null) {
      error(resp, JunctionError.MISSING_SESSION, null, false);
      return;
    }
    String pool = forwards.poolOf(sessionId);
    if (pool == null) {
      error(resp, JunctionError.UNKNOWN_SESSION, null, false);
      return;
    }
    forwards.<SessionReply>request(Addresses.sessionsOf(pool),
        new SessionCommand(SessionCommand.Kind.END_SESSION, sessionId, identity.tenantKey(), null),
        new DeliveryOptions(), "delete")
        .onComplete(ar -> {
          JunctionError refused = refusal(ar);
          if (refused == null) {
            resp.setStatusCode(200).end();
          } else {
            error(resp, refused, null, false);
          }
        });
  }

  /** The error for a session command the shard refused (or did not answer), or null when it was done. */
  private static JunctionError refusal(AsyncResult<Message<SessionReply>> ar) {
    if (ar.failed()) {
      return JunctionError.INTERNAL;
    }
    return switch (ar.result().body().status()) {
      case OK -> null;
      case UNKNOWN_SESSION -> JunctionError.UNKNOWN_SESSION;
      case STREAM_CONFLICT -> JunctionError.STREAM_CONFLICT;
    };
  }

  private static void error(HttpServerResponse resp, JunctionError error, String detail, boolean stateless) {
    send(resp, error.status(stateless), error.response(null, detail, null));
  }

  private static void send(HttpServerResponse resp, int status, JsonObject body) {
    if (!resp.ended() && !resp.closed()) {
      resp.setStatusCode(status).putHeader("Content-Type", McpMeta.JSON).end(body.toBuffer());
    }
  }
}
