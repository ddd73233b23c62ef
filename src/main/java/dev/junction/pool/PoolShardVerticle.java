package dev.junction.pool;

import dev.junction.bus.Addresses;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionError;
import dev.junction.health.UpstreamReport;
import dev.junction.ingress.RelayReply;
import dev.junction.ingress.StreamEvent;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.oauth.CredentialsRequest;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Routes;
import dev.junction.upstream.UpstreamTransport;
import dev.junction.upstream.http.StreamableHttpTransport;
import dev.junction.upstream.stdio.StdioTransport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool shard: owns the downstream sessions and stateless tenant scopes of the tenants hashed
 * to it, their upstream sessions and transports, and the HTTP client those use. Everything here
 * runs on this verticle's context, so nothing needs a lock.
 */
public final class PoolShardVerticle extends VerticleBase implements UpstreamSession.Events {
  private static final Logger LOG = LoggerFactory.getLogger(PoolShardVerticle.class);
  private static final long SWEEP_INTERVAL_MS = 30_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JunctionConfig config;
  private final Routes routes;
  private final int shard;

  // Owned by this verticle's context.
  private final Map<String, DownstreamSession> sessions = new HashMap<>();
  private final Map<String, Scope> tenants = new HashMap<>();
  private final Map<String, String> health = new HashMap<>();
  private HttpClient http;
  private JunctionMetrics metrics;
  private Relay relay;
  private ListChanges listChanges;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long sweeper;

  public PoolShardVerticle(JunctionConfig config, int shard) {
    this.config = config;
    this.routes = new Routes(config);
    this.shard = shard;
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000),
        new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(1_024));
    metrics = JunctionMetrics.create();
    relay = new Relay(config, routes, this::upstream, this::toCall, metrics);
    listChanges = new ListChanges(vertx, relay.lists, metrics, this::toClient);
    consumers.add(vertx.eventBus().<RelayRequest>consumer(Addresses.pool(shard), this::onRelay));
    consumers.add(vertx.eventBus().<SessionCommand>localConsumer(Addresses.pool(shard) + ".session", this::onCommand));
    consumers.add(vertx.eventBus().<HealthChange>localConsumer(Addresses.HEALTH_CHANGES,
        m -> health.put(m.body().upstream(), m.body().state())));
    sweeper = vertx.setPeriodic(SWEEP_INTERVAL_MS, t -> sweep());
    return Future.join(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    List<Future<Void>> closing = new ArrayList<>();
    List<Scope> all = new ArrayList<>(sessions.values());
    all.addAll(tenants.values());
    sessions.clear();
    tenants.clear();
    all.forEach(scope -> closing.add(closeScope(scope)));
    return Future.join(closing).eventually(() -> http.close());
  }

  private void onRelay(Message<RelayRequest> msg) {
    RelayRequest req = msg.body();
    JsonObject m = req.message();
    if (req.stateless()) {
      Scope scope = tenants.computeIfAbsent(req.tenantKey(), k -> new Scope(k, new JsonObject(),
          new JsonObject().put("name", "junction").put("version", "0.1.0"), ProtocolVersion.LATEST_SESSION_BASED));
      scope.lastSeen = System.currentTimeMillis();
      if (!JsonRpc.isRequest(m)) {
        msg.reply(RelayReply.accepted());
        return;
      }
      Call call = new Call(scope, req.exchangeAddress(), m.getValue("id"), JsonRpc.progressToken(JsonRpc.params(m)));
      Endpoint endpoint = req.endpoint();
      Future<JsonObject> answer = "server/discover".equals(m.getString("method"))
          ? Discovery.discover(this, scope, endpoint, m.getValue("id"))
          : relay.handle(scope, endpoint, m, call);
      answer.onComplete(ar -> msg.reply(reply(ar.result(), m.getValue("id"), call)));
      return;
    }
    if ("initialize".equals(m.getString("method"))) {
      initialize(msg, req);
      return;
    }
    DownstreamSession ds = sessions.get(req.sessionId());
    if (ds == null || !ds.tenantKey.equals(req.tenantKey()) || !ds.endpoint.equals(req.endpoint())) {
      // Another tenant's session is as unknown as a missing one: ids never leak across tenants.
      msg.reply(new RelayReply(404, JunctionError.UNKNOWN_SESSION.response(null), null, 0));
      return;
    }
    ds.lastSeen = System.currentTimeMillis();
    if (JsonRpc.isResponse(m)) {
      clientResponse(ds, m);
      msg.reply(RelayReply.accepted());
    } else if (JsonRpc.isNotification(m)) {
      clientNotification(ds, m);
      msg.reply(RelayReply.accepted());
    } else {
      Call call = new Call(ds, req.exchangeAddress(), m.getValue("id"), JsonRpc.progressToken(JsonRpc.params(m)));
      relay.handle(ds, ds.endpoint, m, call)
          .onComplete(ar -> msg.reply(reply(ar.result(), m.getValue("id"), call)));
    }
  }

  private static RelayReply reply(JsonObject response, Object id, Call call) {
    return RelayReply.ok(response != null ? response : JunctionError.INTERNAL.response(id), call.streamed);
  }

  private void initialize(Message<RelayRequest> msg, RelayRequest req) {
    JsonObject params = JsonRpc.params(req.message());
    Endpoint endpoint = req.endpoint();
    String id = shard + "." + randomToken();
    DownstreamSession ds = new DownstreamSession(id, req.tenantKey(), endpoint,
        params.getJsonObject("capabilities", new JsonObject()),
        params.getJsonObject("clientInfo", new JsonObject().put("name", "unknown").put("version", "0")),
        req.protocolVersion());
    sessions.put(id, ds);
    Object requestId = req.message().getValue("id");
    Discovery.initialize(this, ds, endpoint, requestId).onComplete(ar -> {
      JsonObject response = ar.result();
      if (response.containsKey("error")) {
        sessions.remove(id);
        closeScope(ds);
        msg.reply(RelayReply.ok(response, 0));
      } else {
        msg.reply(new RelayReply(200, response, id, 0));
      }
    });
  }

  private static String randomToken() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The scope's session with an upstream, created and initialized on first use (single-flight). */
  Future<UpstreamSession> upstream(Scope scope, String name) {
    Future<UpstreamSession> existing = scope.upstreams.get(name);
    if (existing != null && !(existing.succeeded() && existing.result().closed())) {
      return existing;
    }
    UpstreamOptions options = config.upstreams().get(name);
    if (options == null) {
      return Future.failedFuture("unknown upstream " + name);
    }
    Future<UpstreamSession> created = vertx.eventBus()
        .<Credentials>request(Addresses.OAUTH_TOKEN, new CredentialsRequest(name, scope.tenantKey))
        .compose(creds -> {
          UpstreamSession s = new UpstreamSession(vertx, options, scope, transport(options, creds.body()), this);
          String version = scope.session() != null ? scope.protocolVersion : ProtocolVersion.LATEST_SESSION_BASED;
          return s.initialize(version);
        })
        .onSuccess(s -> report(name, true, "initialized"))
        .onFailure(err -> {
          scope.upstreams.remove(name);
          report(name, false, err.getMessage());
        });
    scope.upstreams.put(name, created);
    return created;
  }

  private UpstreamTransport transport(UpstreamOptions options, Credentials creds) {
    return switch (options.transport()) {
      case STDIO -> new StdioTransport(vertx, options);
      case STREAMABLE_HTTP -> {
        Map<String, String> headers = new HashMap<>(options.headers());
        headers.putAll(creds.headers());
        yield new StreamableHttpTransport(vertx, http, options, headers);
      }
      case SSE -> throw new IllegalStateException("the sse transport is refused by config validation");
    };
  }

  private void report(String upstream, boolean ok, String detail) {
    vertx.eventBus().send(Addresses.HEALTH_REPORT, new UpstreamReport(upstream, ok, detail));
  }

  private void clientResponse(DownstreamSession ds, JsonObject m) {
    DownstreamSession.ServerRequest pending = ds.serverRequests.remove(String.valueOf(m.getValue("id")));
    if (pending == null) {
      LOG.debug("session response to an unknown server request, ignored");
      return;
    }
    pending.upstream().respond(pending.upstreamId(), m);
  }

  private void clientNotification(DownstreamSession ds, JsonObject m) {
    String method = m.getString("method");
    switch (method) {
      case "notifications/initialized" -> {
        // the gateway already sent its own to each upstream
      }
      case "notifications/cancelled" -> {
        Object requestId = JsonRpc.params(m).getValue("requestId");
        String reason = JsonRpc.params(m).getString("reason");
        forEachUpstream(ds, s -> {
          Call c = s.latestCallFor(ds, requestId);
          if (c != null) {
            s.cancel(c, reason);
          }
        });
      }
      default -> forEachUpstream(ds, s -> s.notify(method, m.getJsonObject("params")));
    }
  }

  private static void forEachUpstream(Scope scope, java.util.function.Consumer<UpstreamSession> action) {
    for (Future<UpstreamSession> f : scope.upstreams.values()) {
      if (f.succeeded() && !f.result().closed()) {
        action.accept(f.result());
      }
    }
  }

  private void onCommand(Message<SessionCommand> msg) {
    SessionCommand cmd = msg.body();
    if (cmd.kind() == SessionCommand.Kind.CANCEL_EXCHANGE) {
      Scope scope = cmd.sessionId() == null ? tenants.get(cmd.tenantKey()) : sessions.get(cmd.sessionId());
      if (scope != null) {
        forEachUpstream(scope, s -> s.cancelExchange(cmd.address(), "client closed the stream"));
      }
      return;
    }
    DownstreamSession ds = sessions.get(cmd.sessionId());
    boolean known = ds != null && ds.tenantKey.equals(cmd.tenantKey());
    switch (cmd.kind()) {
      case OPEN_STREAM -> {
        if (!known) {
          msg.reply(404);
        } else if (ds.streamAddress != null) {
          msg.reply(409);
        } else {
          ds.streamAddress = cmd.address();
          ds.lastSeen = System.currentTimeMillis();
          msg.reply(200);
        }
      }
      case CLOSE_STREAM -> {
        if (known && cmd.address().equals(ds.streamAddress)) {
          ds.streamAddress = null;
        }
      }
      case END_SESSION -> {
        if (!known) {
          msg.reply(404);
        } else {
          sessions.remove(ds.id);
          closeScope(ds).onComplete(ar -> msg.reply(200));
        }
      }
      default -> msg.reply(400);
    }
  }

  private Future<Void> closeScope(Scope scope) {
    // closing a session reports back through onClosed, which edits the map: detach it first
    List<Future<UpstreamSession>> sessions = new ArrayList<>(scope.upstreams.values());
    scope.upstreams.clear();
    List<Future<Void>> closing = new ArrayList<>();
    for (Future<UpstreamSession> f : sessions) {
      closing.add(f.compose(UpstreamSession::close).otherwiseEmpty());
    }
    return Future.join(closing).mapEmpty();
  }

  /** Ends sessions and tenant scopes that have been idle too long. */
  private void sweep() {
    long cutoff = System.currentTimeMillis() - config.sessionIdleTimeoutMs();
    sessions.values().removeIf(ds -> {
      boolean idle = ds.lastSeen < cutoff && ds.streamAddress == null;
      if (idle) {
        closeScope(ds);
      }
      return idle;
    });
    tenants.values().removeIf(scope -> {
      boolean idle = scope.lastSeen < cutoff;
      if (idle) {
        closeScope(scope);
      }
      return idle;
    });
  }

  // Events from upstream sessions, on this context.

  @Override
  public void onServerRequest(UpstreamSession session, JsonObject request, Call related) {
    DownstreamSession ds = session.scope.session();
    Object upstreamId = request.getValue("id");
    if (ds == null) {
      // Stateless clients cannot be asked anything mid-call (2026-07-28 uses MRTR instead).
      session.respond(upstreamId, JunctionError.METHOD_NOT_FOUND.response(upstreamId,
          "the client cannot take server requests", null));
      return;
    }
    Call target = related != null ? related : session.latestCall();
    String address = target != null && target.exchange != null ? target.exchange : ds.streamAddress;
    if (address == null) {
      session.respond(upstreamId, JunctionError.INTERNAL.response(upstreamId, "no open stream to the client", null));
      return;
    }
    String id = ds.nextServerRequestId();
    ds.serverRequests.put(id, new DownstreamSession.ServerRequest(session, upstreamId));
    stream(target != null && target.exchange != null ? target : null, address,
        JsonRpc.shallowCopy(request).put("id", id));
  }

  @Override
  public void onNotification(UpstreamSession session, JsonObject notification, Call related) {
    String method = notification.getString("method");
    String list = ListChanges.listOf(method);
    if (list != null) {
      listChanges.changed(session, method, list);
      return;
    }
    JsonObject message = "notifications/resources/updated".equals(method)
        ? ListChanges.gatewayUri(session, notification, routes) : notification;
    if (related != null && related.exchange != null) {
      stream(related, related.exchange, message);
      return;
    }
    DownstreamSession ds = session.scope.session();
    if (ds != null) {
      toClient(ds, session, message);
    }
  }

  /**
   * A message for the client outside any request: on its GET stream, or, without one, on the
   * stream of the newest call of that upstream session (stdio cannot say which request a message
   * belongs to, and basic/transports allows unrelated messages there). Dropped when neither exists.
   */
  void toClient(DownstreamSession ds, UpstreamSession session, JsonObject message) {
    if (ds.streamAddress != null) {
      stream(null, ds.streamAddress, message);
      return;
    }
    Call latest = session.latestCall();
    if (latest != null && latest.exchange != null) {
      stream(latest, latest.exchange, message);
    }
  }

  /** Streams a message to a call's exchange, if it has one. */
  private void toCall(Call call, JsonObject message) {
    if (call != null && call.exchange != null) {
      stream(call, call.exchange, message);
    }
  }

  private void stream(Call call, String address, JsonObject message) {
    if (call != null) {
      call.streamed++;
    }
    vertx.eventBus().send(address, new StreamEvent(message));
  }

  @Override
  public void onClosed(UpstreamSession session, String reason) {
    Future<UpstreamSession> current = session.scope.upstreams.get(session.upstream());
    if (current != null && current.succeeded() && current.result() == session) {
      // the next request re-initializes a fresh upstream session
      session.scope.upstreams.remove(session.upstream());
    }
    if (!"closed".equals(reason)) {
      report(session.upstream(), false, reason);
    }
  }

  Routes routes() {
    return routes;
  }
}
