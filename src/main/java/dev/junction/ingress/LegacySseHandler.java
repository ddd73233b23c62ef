package dev.junction.ingress;

import static dev.junction.ingress.Responses.anonymousRefused;
import static dev.junction.ingress.Responses.error;
import static dev.junction.ingress.Responses.send;

import dev.junction.bus.Addresses;
import dev.junction.bus.LocalNode;
import dev.junction.bus.RelayReply;
import dev.junction.bus.RelayRequest;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonBytes;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMeta;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The legacy HTTP+SSE transport of 2024-11-05 (basic/transports, "HTTP with SSE") on every endpoint
 * shape: {@code GET …/sse} opens the stream whose first {@code endpoint} event names
 * {@code …/message?sessionId=<id>}, where the client POSTs its messages. Both pass the same origin
 * check, authentication, tenancy and limits as {@code …/mcp} ({@link McpHandler}).
 *
 * <p>The stream is held by the ingress instance that accepted the GET, and a POST may land on any
 * instance (or node): it goes to the stream's owner over the event bus, at an address named by the
 * connection's id, as a {@link RelayRequest}, and the owner answers the POST with 202 or the reason
 * it refused it. Runs on its ingress verticle's context.
 */
final class LegacySseHandler {
  /** The query parameter of the POST endpoint that names the connection. */
  static final String SESSION_PARAM = "sessionId";

  private final Vertx vertx;
  private final JunctionConfig config;
  private final JunctionMetrics metrics;
  private final DeliveryOptions relayDelivery;
  // Owned by the ingress context.
  private final Streams streams;
  private final Forwards forwards;

  LegacySseHandler(Vertx vertx, JunctionConfig config, JunctionMetrics metrics, Streams streams, Forwards forwards) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    this.streams = streams;
    this.forwards = forwards;
    long longest = config.upstreams().values().stream()
        .mapToLong(u -> u.requestTimeoutMs() + u.connectTimeoutMs()).max()
        .orElse(UpstreamOptions.DEFAULT_REQUEST_TIMEOUT_MS);
    // as PostHandler's: the shard answers every request itself; this only guards against a lost reply
    this.relayDelivery = new DeliveryOptions().setSendTimeout(2 * longest + 5_000);
  }

  /** {@code GET …/sse}: opens the connection and names its POST endpoint. */
  void open(HttpServerRequest req, Endpoint endpoint, Identity identity) {
    HttpServerResponse resp = req.response();
    String accept = req.getHeader("Accept");
    if (accept != null && !(accept.contains(McpMeta.SSE) || accept.contains("*/*"))) {
      error(resp, JunctionError.NOT_ACCEPTABLE, null, false);
      return;
    }
    if (anonymousRefused(resp, identity, null, config, metrics)) {
      return;
    }
    String id = UUID.randomUUID().toString();
    LegacySseSession session = new LegacySseSession(vertx, resp, endpoint, identity.tenantKey(), config.shards(),
        relayDelivery, streams, forwards);
    Handler<Message<RelayRequest>> posts = session::handle;
    String address = Addresses.legacySse(id);
    // in a cluster the client's POSTs may reach another node
    MessageConsumer<RelayRequest> consumer = LocalNode.id(vertx) == null
        ? vertx.eventBus().localConsumer(address, posts)
        : vertx.eventBus().consumer(address, posts);
    String path = req.path();
    String post = path.substring(0, path.length() - "sse".length()) + "message?" + SESSION_PARAM + "=" + id;
    resp.setChunked(true).setStatusCode(200);
    Sse.headers(resp);
    resp.write("event: endpoint\ndata: " + post + "\n\n");
    long keepAlive = vertx.setPeriodic(config.sseKeepAliveMs(), t -> Sse.keepAlive(resp));
    resp.closeHandler(v -> {
      vertx.cancelTimer(keepAlive);
      consumer.unregister();
      session.closed();
    });
  }

  /** {@code POST …/message?sessionId=<id>}: one message for the connection's owner to relay. */
  void post(HttpServerRequest req, Endpoint endpoint, Buffer body, AccessLog.Entry seen, Identity identity) {
    HttpServerResponse resp = req.response();
    String id = req.getParam(SESSION_PARAM);
    if (id == null || id.isEmpty()) {
      error(resp, JunctionError.INVALID_REQUEST, "missing the " + SESSION_PARAM + " parameter", false);
      return;
    }
    String type = req.getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith(McpMeta.JSON)) {
      error(resp, JunctionError.UNSUPPORTED_MEDIA_TYPE, null, false);
      return;
    }
    Object parsed;
    try {
      parsed = JsonBytes.decode(body == null ? Buffer.buffer() : body);
    } catch (DecodeException e) {
      send(resp, JunctionError.PARSE_ERROR.status(false), JunctionError.PARSE_ERROR.response(null));
      return;
    }
    if (!(parsed instanceof JsonObject message)) {
      error(resp, JunctionError.INVALID_REQUEST, "send one JSON-RPC message per POST", false);
      return;
    }
    if (message.getValue("method") instanceof String m) {
      seen.method = m;
    }
    String problem = JsonRpc.envelopeProblem(message);
    if (problem != null) {
      send(resp, JunctionError.INVALID_REQUEST.status(false),
          JunctionError.INVALID_REQUEST.response(JsonRpc.answerableId(message), problem, null));
      return;
    }
    if (anonymousRefused(resp, identity, message, config, metrics)) {
      return;
    }
    metrics.request(message.getString("method"), false);
    RelayRequest relay = new RelayRequest(endpoint, id, identity.tenantKey(), null, false, message, null,
        identity.token(), identity.apiKey());
    vertx.eventBus().<RelayReply>request(Addresses.legacySse(id), relay).onComplete(ar -> {
      if (ar.failed()) {
        // no such connection (any more), on this node or another
        error(resp, JunctionError.UNKNOWN_SESSION, null, false);
      } else if (ar.result().body().body() == null) {
        resp.setStatusCode(ar.result().body().status()).end();
      } else {
        send(resp, ar.result().body().status(), ar.result().body().body());
      }
    });
  }
}
