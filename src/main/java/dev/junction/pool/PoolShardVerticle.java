package dev.junction.pool;

import dev.junction.bus.Addresses;
import dev.junction.bus.AdminQuery;
import dev.junction.bus.Credentials;
import dev.junction.bus.CredentialsChanged;
import dev.junction.bus.HealthChange;
import dev.junction.bus.LocalNode;
import dev.junction.bus.PoolSnapshot;
import dev.junction.bus.ProbeUpstream;
import dev.junction.bus.ProcessSlot;
import dev.junction.bus.ProcessSlotReply;
import dev.junction.bus.RelayReply;
import dev.junction.bus.RelayRequest;
import dev.junction.bus.SessionCommand;
import dev.junction.bus.SessionIds;
import dev.junction.bus.SessionReply;
import dev.junction.config.JunctionConfig;
import dev.junction.config.Sharing;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Routes;
import dev.junction.upstream.UpstreamTransport;
import dev.junction.upstream.http.HttpClients;
import dev.junction.upstream.http.StreamableHttpTransport;
import dev.junction.upstream.stdio.StderrRing;
import dev.junction.upstream.stdio.StdioTransport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One pool shard: owns the downstream sessions and stateless tenant scopes of the tenants hashed
 * to it, the upstream session pool, and the HTTP client the pool's transports use. Everything
 * here runs on this verticle's context, so nothing needs a lock.
 */
public final class PoolShardVerticle extends VerticleBase {
  /** Open GET streams per upstream host and shard; beyond it a session simply has no GET stream. */
  private static final int MAX_STREAMS_PER_UPSTREAM = 4_096;
  /** DELETEs of ended upstream sessions waiting for a connection, per shard. */
  private static final int MAX_QUEUED_DELETES = 10_000;

  private final JunctionConfig config;
  private final Routes routes;
  private final int shard;

  // Owned by this verticle's context.
  private final Map<String, DownstreamSession> sessions = new HashMap<>();
  /** Paced process starts, per stdio upstream. */
  private final Map<String, StartGate> starts = new HashMap<>();
  private final Map<String, Scope> tenants = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private HttpClients http;
  private JunctionMetrics metrics;
  private UpstreamPool pool;
  private final UpstreamRevisions revisions = new UpstreamRevisions();
  private Relay relay;
  private RateLimits limits;
  private ShardCredentials credentials;
  private Probes probes;
  /** The newest stderr lines of each stdio upstream's processes on this shard. */
  private final Map<String, StderrRing> stderr = new HashMap<>();
  private ShardEvents events;
  private long sessionSweeper;
  private long poolSweeper;

  public PoolShardVerticle(JunctionConfig config, int shard) {
    this.config = config;
    this.routes = new Routes(config);
    this.shard = shard;
  }

  @Override
  public Future<?> start() {
    HttpClientOptions client = new HttpClientOptions().setConnectTimeout((int) UpstreamOptions.DEFAULT_CONNECT_TIMEOUT_MS);
    http = new HttpClients(
        vertx.createHttpClient(client, new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(1_024)),
        vertx.createHttpClient(client, new PoolOptions().setHttp1MaxSize(MAX_STREAMS_PER_UPSTREAM).setMaxWaitQueueSize(0)),
        // a DELETE that finds the queue full is dropped: the upstream ends the session on its own
        vertx.createHttpClient(client, new PoolOptions().setHttp1MaxSize(8).setMaxWaitQueueSize(MAX_QUEUED_DELETES)));
    metrics = JunctionMetrics.create();
    credentials = new ShardCredentials(vertx, config);
    pool = new UpstreamPool(vertx, config, metrics, this::createSession, credentials::get, credentials::renew,
        revisions);
    events = new ShardEvents(vertx, routes, pool);
    limits = new RateLimits(config, metrics, System::nanoTime);
    relay = new Relay(config, routes, pool, events::toCall, metrics, limits);
    probes = new Probes(config, pool);
    events.listChanges(new ListChanges(vertx, relay.lists, metrics, events::toClient));
    String address = Addresses.pool(shard);
    consumers.add(vertx.eventBus().<RelayRequest>localConsumer(address, this::onRelay));
    consumers.add(vertx.eventBus().<SessionCommand>localConsumer(Addresses.sessions(shard), this::onCommand));
    consumers.addAll(ClusterShard.consumers(vertx, shard, this::onRelay, this::onCommand, sessions.values()));
    consumers.add(vertx.eventBus().<AdminQuery>localConsumer(Addresses.admin(shard),
        m -> m.reply(new PoolSnapshot(shard, pool.snapshot(), stderrView()))));
    consumers.add(vertx.eventBus().<dev.junction.bus.Heartbeat>localConsumer(Addresses.heartbeat(shard), m -> m.reply(m.body())));
    consumers.add(vertx.eventBus().<HealthChange>localConsumer(Addresses.HEALTH_CHANGES, m -> pool.health(m.body())));
    consumers.add(vertx.eventBus().<ProbeUpstream>localConsumer(Addresses.probe(shard),
        m -> probes.probe(m.body().upstream()).onComplete(ar -> m.reply(ar.result()))));
    consumers.add(vertx.eventBus().<CredentialsChanged>localConsumer(Addresses.CREDENTIALS_CHANGED, m -> {
      credentials.changed(m.body());
      pool.forget(m.body().upstream(), m.body().tenantKey());
    }));
    // a quarter of the idle timeout: an idle session goes at most a quarter late
    long sweep = Math.max(100, Math.min(30_000, config.sessionIdleTimeoutMs() / 4));
    sessionSweeper = vertx.setPeriodic(sweep, t -> sweepSessions());
    poolSweeper = vertx.setPeriodic(config.evictionIntervalMs(), t -> {
      pool.sweep();
      limits.sweep();
    });
    return Future.join(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sessionSweeper);
    vertx.cancelTimer(poolSweeper);
    sessions.clear();
    tenants.clear();
    return pool.closeAll().eventually(() -> Future.join(http.requests().close(), http.streams().close(), http.deletes().close()));
  }

  Routes routes() {
    return routes;
  }

  UpstreamPool pool() {
    return pool;
  }

  private void onRelay(Message<RelayRequest> msg) {
    RelayRequest req = msg.body();
    JsonObject m = req.message();
    if (req.stateless()) {
      Scope scope = tenants.computeIfAbsent(req.tenantKey(), k -> new Scope(k, new JsonObject(),
          Discovery.serverInfo(), ProtocolVersion.LATEST_SESSION_BASED));
      scope.lastSeen = System.currentTimeMillis();
      if (req.subjectToken() != null) {
        scope.subjectToken = req.subjectToken();
      }
      if (!JsonRpc.isRequest(m)) {
        msg.reply(RelayReply.accepted());
        return;
      }
      Call call = new Call(scope, req.exchangeAddress(), m.getValue("id"), JsonRpc.progressToken(JsonRpc.params(m)));
      Future<JsonObject> answer = "server/discover".equals(m.getString("method"))
          ? Discovery.discover(this, scope, req.endpoint(), m.getValue("id"))
          : relay.handle(scope, req.endpoint(), m, call);
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
    if (req.subjectToken() != null) {
      ds.subjectToken = req.subjectToken();
    }
    if (JsonRpc.isResponse(m)) {
      events.clientResponse(ds, m);
      msg.reply(RelayReply.accepted());
    } else if (JsonRpc.isNotification(m)) {
      events.clientNotification(ds, m);
      msg.reply(RelayReply.accepted());
    } else {
      Call call = new Call(ds, req.exchangeAddress(), m.getValue("id"), JsonRpc.progressToken(JsonRpc.params(m)));
      ds.calls++;
      relay.handle(ds, ds.endpoint, m, call).onComplete(ar -> {
        ds.calls--;
        ds.lastSeen = System.currentTimeMillis(); // an answer is activity: idle time counts from here
        msg.reply(reply(ar.result(), m.getValue("id"), call));
      });
    }
  }

  private static RelayReply reply(JsonObject response, Object id, Call call) {
    return RelayReply.ok(response != null ? response : JunctionError.INTERNAL.response(id), call.streamed);
  }

  private void initialize(Message<RelayRequest> msg, RelayRequest req) {
    JsonObject params = JsonRpc.params(req.message());
    Endpoint endpoint = req.endpoint();
    String id = SessionIds.create(LocalNode.id(vertx), shard);
    DownstreamSession ds = new DownstreamSession(id, req.tenantKey(), endpoint,
        params.getJsonObject("capabilities", new JsonObject()),
        params.getJsonObject("clientInfo", new JsonObject().put("name", "unknown").put("version", "0")),
        req.protocolVersion());
    ds.subjectToken = req.subjectToken();
    sessions.put(id, ds);
    Discovery.initialize(this, ds, endpoint, req.message().getValue("id")).onComplete(ar -> {
      JsonObject response = ar.result();
      if (response.containsKey("error")) {
        sessions.remove(id);
        pool.detach(ds);
        msg.reply(RelayReply.ok(response, 0));
      } else {
        metrics.downstreamSessions(1);
        msg.reply(new RelayReply(200, response, id, 0));
      }
    });
  }

  /** Creates a session for a pool key: transport, then initialize within the create timeout. */
  private Future<UpstreamSession> createSession(KeyPool key) {
    UpstreamOptions options = key.upstream;
    boolean probe = options.transport() == UpstreamOptions.Transport.STREAMABLE_HTTP
        && options.sharing() != Sharing.CLIENT && options.sharing() != Sharing.TENANT
        && revisions.mayBeStateless(options.name());
    long timeout = Math.min(key.limits.createTimeoutMs(), options.connectTimeoutMs());
    // exactly the credentials whose hash is part of the key
    Supplier<Future<UpstreamSession>> start = () -> transport(options, key.credentials, listens(key))
        .compose(transport -> new UpstreamSession(vertx, key, transport, events).initialize(timeout, probe))
        .onSuccess(s -> revisions.learned(options.name(), s.stateless()));
    if (options.transport() != UpstreamOptions.Transport.STDIO) {
      return start.get();
    }
    // a process's start is paced; its create timeout counts from when it actually starts
    return starts.computeIfAbsent(options.name(), u -> new StartGate(options.startConcurrency())).run(start);
  }

  /** Only sessions used by session-based clients open a GET stream: stateless clients cannot hear one. */
  private static boolean listens(KeyPool key) {
    return key.attached.stream().anyMatch(scope -> scope.session() != null);
  }

  private Future<UpstreamTransport> transport(UpstreamOptions options, Credentials creds, boolean listen) {
    return switch (options.transport()) {
      case STDIO -> processSlot(options);
      case STREAMABLE_HTTP -> {
        Map<String, String> headers = new HashMap<>(options.headers());
        headers.putAll(creds.headers());
        yield Future.succeededFuture(new StreamableHttpTransport(vertx, http, listen, options, headers));
      }
      case SSE -> throw new IllegalStateException("the sse transport is refused by config validation");
    };
  }

  /**
   * A stdio transport, once the health verticle grants a process slot (the upstream's
   * {@code maxProcesses} hold across shards); the slot goes back when the process has exited.
   */
  private Future<UpstreamTransport> processSlot(UpstreamOptions options) {
    String upstream = options.name();
    return vertx.eventBus().<ProcessSlotReply>request(Addresses.HEALTH_PROCESSES, new ProcessSlot(upstream, true))
        .compose(granted -> {
          if (!granted.body().granted()) {
            return Future.failedFuture(JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream,
                "process limit reached (maxProcesses " + options.maxProcesses() + ")"));
          }
          StderrRing ring = stderr.computeIfAbsent(upstream, u -> new StderrRing(options.stderrLines()));
          return Future.succeededFuture(new StdioTransport(vertx, options, Path.of(config.stdioWorkRoot()), ring,
              () -> vertx.eventBus().send(Addresses.HEALTH_PROCESSES, new ProcessSlot(upstream, false))));
        });
  }

  private JsonObject stderrView() {
    JsonObject view = new JsonObject();
    stderr.forEach((upstream, ring) -> view.put(upstream, ring.toJson()));
    return view;
  }

  private void onCommand(Message<SessionCommand> msg) {
    SessionCommand cmd = msg.body();
    if (cmd.kind() == SessionCommand.Kind.CANCEL_EXCHANGE) {
      Scope scope = cmd.sessionId() == null ? tenants.get(cmd.tenantKey()) : sessions.get(cmd.sessionId());
      if (scope != null) {
        scope.upstreamSessions().forEach(s -> s.cancelExchange(cmd.address(), "client closed the stream"));
      }
      return;
    }
    DownstreamSession ds = sessions.get(cmd.sessionId());
    boolean known = ds != null && ds.tenantKey.equals(cmd.tenantKey());
    switch (cmd.kind()) {
      case OPEN_STREAM -> {
        if (!known) {
          msg.reply(SessionReply.UNKNOWN);
        } else if (ds.streamAddress != null) {
          msg.reply(SessionReply.CONFLICT);
        } else {
          ds.streamAddress = cmd.address();
          ds.lastSeen = System.currentTimeMillis();
          msg.reply(SessionReply.OK);
        }
      }
      case CLOSE_STREAM -> {
        if (known && cmd.address().equals(ds.streamAddress)) {
          ds.streamAddress = null;
          // an open stream is activity: the session's idle time starts when it closes
          ds.lastSeen = System.currentTimeMillis();
        }
      }
      case END_SESSION -> {
        if (!known) {
          msg.reply(SessionReply.UNKNOWN);
        } else {
          sessions.remove(ds.id);
          metrics.downstreamSessions(-1);
          pool.detach(ds).onComplete(ar -> msg.reply(SessionReply.OK));
        }
      }
      default -> msg.reply(SessionReply.UNKNOWN);
    }
  }

  /** Ends downstream sessions and stateless tenant scopes that have been idle too long. */
  private void sweepSessions() {
    long cutoff = System.currentTimeMillis() - config.sessionIdleTimeoutMs();
    sessions.values().removeIf(ds -> {
      // a call in flight and an open stream are activity: the session is not idle
      boolean idle = ds.lastSeen < cutoff && ds.streamAddress == null && ds.calls == 0;
      if (idle) {
        metrics.downstreamSessions(-1);
        pool.detach(ds);
      }
      return idle;
    });
    tenants.values().removeIf(scope -> {
      boolean idle = scope.lastSeen < cutoff;
      if (idle) {
        pool.detach(scope);
      }
      return idle;
    });
    // credentials of tenants that have no scope left go too, so tenant churn cannot grow memory
    java.util.Set<String> live = new java.util.HashSet<>(tenants.keySet());
    sessions.values().forEach(ds -> live.add(ds.tenantKey));
    credentials.retain(live);
  }
}
