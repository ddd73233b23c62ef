package dev.junction.ingress;

import static dev.junction.ingress.Responses.anonymousRefused;
import static dev.junction.ingress.Responses.error;
import static dev.junction.ingress.Responses.send;

import dev.junction.bus.Addresses;
import dev.junction.bus.MrtrState;
import dev.junction.bus.RelayReply;
import dev.junction.bus.RelayRequest;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.jsonrpc.JsonBytes;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMeta;
import dev.junction.mcp.ParamHeaders;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.metrics.Tracing;
import dev.junction.routing.Endpoint;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST on an MCP endpoint: checks the HTTP and JSON-RPC envelope of one message, tells a
 * 2026-07-28 request from a session-based one, and relays it to the tenant's (or the session's)
 * shard, whose events and answer an {@link Exchange} writes. It parses only the envelope; params
 * and results pass through. Runs on its ingress verticle's context.
 */
final class PostHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PostHandler.class);
  private static final long LISTEN_BOUND_MS = 30L * 24 * 3_600_000L;

  private final Vertx vertx;
  private final JunctionMetrics metrics;
  /** A subscriptions/listen request is answered when its stream ends, which is up to its client. */
  private final DeliveryOptions listenDelivery = new DeliveryOptions().setSendTimeout(LISTEN_BOUND_MS);
  private final Tracing tracing;
  // Owned by the ingress context; replaced by each new config version (configure).
  private JunctionConfig config;
  private DeliveryOptions relayDelivery;
  // Owned by the ingress context.
  private final Streams streams;
  private final KeepAlives keepAlives;
  private final Forwards forwards;
  private final ParamHeaders.Scanner paramScanner = new ParamHeaders.Scanner();
  private Batches batches;

  PostHandler(Vertx vertx, JunctionConfig config, JunctionMetrics metrics, Streams streams, KeepAlives keepAlives,
      Forwards forwards) {
    this.vertx = vertx;
    this.forwards = forwards;
    this.metrics = metrics;
    this.streams = streams;
    this.keepAlives = keepAlives;
    this.tracing = Tracing.of(vertx);
    configure(config);
  }

  /** Takes a config version (anonymous policy, upstream timeouts). */
  void configure(JunctionConfig next) {
    this.config = next;
    long longest = next.upstreams().values().stream()
        .mapToLong(u -> u.requestTimeoutMs() + u.connectTimeoutMs()).max()
        .orElse(UpstreamOptions.DEFAULT_REQUEST_TIMEOUT_MS);
    // The shard answers every request itself (with -32001 on upstream timeouts); this only
    // guards against a lost reply.
    this.relayDelivery = new DeliveryOptions().setSendTimeout(2 * longest + 5_000);
    this.batches = new Batches(vertx, relayDelivery, streams, forwards);
  }

  /** Handles one POST; the JSON-RPC method goes to the access log's entry once parsed. */
  void post(HttpServerRequest req, Endpoint endpoint, Buffer body, AccessLog.Entry seen, Identity identity) {
    HttpServerResponse resp = req.response();
    String accept = req.getHeader("Accept");
    if (accept != null
        && !(accept.contains("*/*") || (accept.contains(McpMeta.JSON) || accept.contains(McpMeta.SSE)))) {
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
      parsed = JsonBytes.decode(body);
    } catch (DecodeException e) {
      send(resp, JunctionError.PARSE_ERROR.status(false), JunctionError.PARSE_ERROR.response(null));
      return;
    }
    if (parsed instanceof JsonObject o && o.getValue("method") instanceof String m) {
      seen.method = m;
      // read now: once relayed, the message belongs to the shard
      seen.tool = "tools/call".equals(m) && o.getValue("params") instanceof JsonObject p
          && p.getValue("name") instanceof String name ? name : null;
    }
    if (parsed instanceof JsonArray batch && Batches.allowed(req)) {
      seen.method = "batch";
      if (!anonymousRefused(resp, identity, null, config, metrics)) {
        metrics.request("batch", false);
        batches.post(req, endpoint, batch, identity);
      }
      return;
    }
    if (!(parsed instanceof JsonObject message)) {
      // JSON-RPC batches were dropped in 2025-06-18 (and initialize is never batched): refused as a whole.
      error(resp, JunctionError.INVALID_REQUEST, "send one JSON-RPC message per POST (batches are not supported)",
          false);
      return;
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
    try {
      if (StatelessRules.isStateless(req.headers(), message)) {
        stateless(req, endpoint, message, identity, seen);
      } else {
        sessionBased(req, endpoint, message, identity, seen);
      }
    } catch (JunctionException e) {
      boolean stateless = StatelessRules.isStateless(req.headers(), message);
      send(resp, e.error().status(stateless), e.response(message.getValue("id")));
    }
  }

  private void stateless(HttpServerRequest req, Endpoint endpoint, JsonObject message, Identity tenant,
      AccessLog.Entry seen) {
    StatelessRules.check(req.headers(), message);
    String method = message.getString("method");
    metrics.request(method, true);
    if (JsonRpc.isRequest(message) && !StatelessRules.served(method)) {
      throw new JunctionException(JunctionError.METHOD_NOT_FOUND, method);
    }
    if (JsonRpc.isResponse(message)) {
      throw new JunctionException(JunctionError.INVALID_REQUEST, "2026-07-28 clients send no responses");
    }
    Map<String, String> params = "tools/call".equals(method)
        ? StatelessRules.paramHeaders(req.headers(), paramScanner.scan(req.headers())) : null;
    relay(req, endpoint, null, tenant, ProtocolVersion.V2026_07_28, true, message, params,
        body -> StatelessRules.decorate(method, body), seen);
  }

  private void sessionBased(HttpServerRequest req, Endpoint endpoint, JsonObject message, Identity tenant,
      AccessLog.Entry seen) {
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
      relay(req, endpoint, null, tenant, version, false, message, null, UnaryOperator.identity(), seen);
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
    relay(req, endpoint, sessionId, tenant, version, false, message, null, UnaryOperator.identity(), seen);
  }

  private void relay(HttpServerRequest req, Endpoint endpoint, String sessionId, Identity identity, String version,
      boolean stateless, JsonObject message, Map<String, String> paramHeaders, UnaryOperator<JsonObject> finish,
      AccessLog.Entry seen) {
    String tenant = identity.tenantKey();
    // stateless requests and initialize stay on this node; a session's go to its owner, maybe on another node
    // a retry of an input-required round goes to the shard (and node) that holds the round
    String round = stateless ? MrtrState.roundOf(JsonRpc.params(message).getValue("requestState")) : null;
    String roundPool = round == null ? null : forwards.poolOf(round);
    String shardAddress = sessionId != null ? forwards.poolOf(sessionId)
        : roundPool != null ? roundPool : Addresses.pool(TenantKeys.shard(tenant, config.shards()));
    if (shardAddress == null) {
      send(req.response(), 404, JunctionError.UNKNOWN_SESSION.response(null));
      return;
    }
    boolean request = JsonRpc.isRequest(message);
    Span span = null;
    if (request && tracing.on()) {
      span = RequestSpans.start(tracing, req, message, tenant, sessionId, version);
    } else if (request) {
      traced(req, message);
    }
    Span traced = span;
    // the hop's traceparent (the server span's when tracing is on) names the trace in the access log;
    // read before the message is handed to the shard, which then owns it
    seen.traceparent = Tracing.traceparentOf(message.getJsonObject("params"));
    Exchange exchange = request
        ? new Exchange(vertx, streams, req.response(), shardAddress, sessionId, tenant, finish,
            "initialize".equals(message.getString("method")) ? null : keepAlives)
        : null;
    RelayRequest relay = new RelayRequest(endpoint, sessionId, tenant, version, stateless, message,
        exchange == null ? null : exchange.address(), identity.token(), identity.apiKey(), paramHeaders);
    DeliveryOptions delivery = "subscriptions/listen".equals(message.getString("method")) ? listenDelivery
        : relayDelivery;
    Future<RelayReply> replied = exchange != null && forwards.local(shardAddress)
        ? oneWay(shardAddress, relay, exchange.address(), delivery.getSendTimeout())
        : forwards.<RelayReply>request(shardAddress, relay, delivery, "relay").map(Message::body);
    replied.onComplete(ar -> {
      if (ar.failed() && Forwards.unknownSession(ar.cause())) {
        JsonObject unknown = JunctionError.UNKNOWN_SESSION.response(null);
        if (exchange != null) {
          exchange.fail(404, unknown);
        } else {
          send(req.response(), 404, unknown);
        }
        return;
      }
      if (traced != null) {
        Tracing.end(traced, ar.succeeded() ? ar.result().body() : null);
      }
      if (ar.failed()) {
        String ref = UUID.randomUUID().toString();
        LOG.error("relay to {} failed (ref {}): {}", shardAddress, ref, JunctionException.describe(ar.cause()));
        JsonObject error = JunctionError.INTERNAL.response(message.getValue("id"), null,
            new JsonObject().put("ref", ref));
        if (exchange != null) {
          exchange.fail(JunctionError.INTERNAL.status(stateless), error);
        } else {
          send(req.response(), JunctionError.INTERNAL.status(stateless), error);
        }
        return;
      }
      RelayReply reply = ar.result();
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
   * A request with an exchange to a shard of this node, sent one way: the shard answers on the
   * exchange's event address, after its events ({@code RelayAnswer}), so no reply handler and no
   * timer is set up per request. Fails as an event-bus request would: no consumer, or no answer in
   * time.
   */
  private Future<RelayReply> oneWay(String address, RelayRequest relay, String exchange, long timeoutMs) {
    Future<RelayReply> answer = streams.answer(exchange, timeoutMs);
    vertx.eventBus().<RelayRequest>sender(address).write(relay).onFailure(err -> streams.fail(exchange, err));
    return answer;
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
}
