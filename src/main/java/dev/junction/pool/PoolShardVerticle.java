package dev.junction.pool;

import dev.junction.bus.Addresses;
import dev.junction.bus.AdminQuery;
import dev.junction.bus.ConfigApplied;
import dev.junction.bus.ConfigChanged;
import dev.junction.bus.CredentialsChanged;
import dev.junction.bus.DrainReply;
import dev.junction.bus.DrainSessions;
import dev.junction.bus.DrainStarted;
import dev.junction.bus.HealthChange;
import dev.junction.bus.Heartbeat;
import dev.junction.bus.PoolSnapshot;
import dev.junction.bus.ProbeUpstream;
import dev.junction.bus.RelayAnswer;
import dev.junction.bus.RelayReply;
import dev.junction.bus.RelayRequest;
import dev.junction.bus.SessionCommand;
import dev.junction.bus.SessionReply;
import dev.junction.config.ConfigChange;
import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.metrics.Tracing;
import dev.junction.routing.Routes;
import dev.junction.upstream.Transports;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One pool shard: wires the parts that serve the tenants hashed to it (their downstream sessions
 * and stateless scopes in {@link DownstreamSessions}, the upstream session pool, the transports)
 * and routes the bus's messages to them. Everything here runs on this verticle's context, so
 * nothing needs a lock.
 */
public final class PoolShardVerticle extends VerticleBase {
  /** How often a draining shard looks whether its calls in flight have finished. */
  private static final long DRAIN_CHECK_MS = 50;
  private final int shard;
  // replaced by each new config version (configure), on this verticle's context
  private JunctionConfig config;
  private Routes routes;

  // Owned by this verticle's context.
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private Transports transports;
  private JunctionMetrics metrics;
  private UpstreamPool pool;
  private final UpstreamRevisions revisions = new UpstreamRevisions();
  private SessionStarter starter;
  private DownstreamSessions sessions;
  private Relay relay;
  private RateLimits limits;
  private ShardCredentials credentials;
  private Probes probes;
  private ShardEvents events;
  private Subscriptions subscriptions;
  private long poolSweeper;
  /** Set when a clustered node drains ({@link DrainSessions}): no new request of a session is taken. */
  private boolean draining;

  public PoolShardVerticle(JunctionConfig config, int shard) {
    this.config = config;
    this.routes = new Routes(config);
    this.shard = shard;
  }

  @Override
  public Future<?> start() {
    transports = new Transports(vertx, Path.of(config.stdioWorkRoot()));
    metrics = JunctionMetrics.create();
    credentials = new ShardCredentials(vertx, config);
    pool = new UpstreamPool(vertx, config, metrics, key -> starter.start(key), credentials::get, credentials::renew,
        revisions);
    events = new ShardEvents(vertx, routes, pool);
    starter = new SessionStarter(vertx, transports, revisions, events);
    limits = new RateLimits(config, metrics, System::nanoTime);
    MrtrRounds rounds = new MrtrRounds(vertx, shard, config.mrtr());
    events.rounds(rounds);
    relay = new Relay(config, routes, pool, events::toCall, metrics, limits, rounds,
        new MrtrToClient(vertx, events::toCall, config.mrtr().holdTimeoutMs()), Tracing.of(vertx));
    subscriptions = new Subscriptions(routes, pool, events::toCall);
    subscriptions.relay(relay);
    events.subscriptions(subscriptions);
    probes = new Probes(config, pool);
    events.listChanges(new ListChanges(vertx, relay.lists, metrics, events::toClient));
    sessions = new DownstreamSessions(vertx, config, shard, metrics, pool, credentials);
    String address = Addresses.pool(shard);
    consumers.add(vertx.eventBus().<RelayRequest>localConsumer(address, this::onRelay));
    consumers.add(vertx.eventBus().<SessionCommand>localConsumer(Addresses.sessions(shard), this::onSessionCommand));
    consumers.addAll(ClusterShard.consumers(vertx, shard, this::onRelay, this::onSessionCommand, sessions.all()));
    consumers.add(vertx.eventBus().<DrainSessions>localConsumer(Addresses.drain(shard), this::onDrain));
    // when the listeners close, listen streams end with their result rather than at the drain's timeout
    consumers.add(vertx.eventBus().<DrainStarted>localConsumer(Addresses.DRAIN, m ->
        vertx.setTimer(Math.max(1, m.body().drainDelayMs()), t -> subscriptions.endAll("the gateway stops"))));
    consumers.add(vertx.eventBus().<AdminQuery>localConsumer(Addresses.admin(shard),
        m -> m.reply(new PoolSnapshot(shard, pool.snapshot(), transports.stderrView()))));
    consumers.add(vertx.eventBus().<Heartbeat>localConsumer(Addresses.heartbeat(shard), m -> m.reply(m.body())));
    consumers.add(vertx.eventBus().<HealthChange>localConsumer(Addresses.HEALTH_CHANGES, m -> pool.health(m.body())));
    consumers.add(vertx.eventBus().<ProbeUpstream>localConsumer(Addresses.probe(shard),
        m -> probes.probe(m.body().upstream()).onComplete(ar -> m.reply(ar.result()))));
    consumers.add(vertx.eventBus().<CredentialsChanged>localConsumer(Addresses.CREDENTIALS_CHANGED, m -> {
      credentials.changed(m.body());
      pool.forget(m.body().upstream(), m.body().tenantKey());
    }));
    consumers.add(vertx.eventBus().<ConfigChanged>localConsumer(Addresses.CONFIG_CHANGED, m -> {
      configure(m.body().config());
      vertx.eventBus().send(Addresses.CONFIG_APPLIED, new ConfigApplied(m.body().version()));
    }));
    poolSweeper = vertx.setPeriodic(config.evictionIntervalMs(), t -> {
      pool.sweep();
      limits.sweep();
    });
    return Future.join(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(poolSweeper);
    sessions.close();
    return pool.closeAll().eventually(transports::close);
  }

  /**
   * A new config version: every part takes it for the next request, then {@link ShardReload}
   * retires the keys of removed and changed upstreams and tells clients whose lists changed.
   */
  private void configure(JunctionConfig next) {
    ConfigChange change = ConfigChange.between(config, next);
    JunctionConfig old = config;
    Routes before = routes;
    config = next;
    routes = new Routes(next);
    List<String> stale = new ArrayList<>(change.removed());
    stale.addAll(change.changed());
    credentials.configure(next, stale);
    pool.configure(next);
    relay.configure(next, routes);
    probes.configure(next);
    limits.configure(next);
    events.configure(routes);
    ShardReload.apply(vertx, change, old, before, routes, pool, sessions);
  }

  Routes routes() {
    return routes;
  }

  UpstreamPool pool() {
    return pool;
  }

  /**
   * Answers a relayed message: with a reply when it came as a request, or, when it came one way,
   * as a {@link RelayAnswer} on its exchange's event address (after the exchange's events).
   */
  private void answer(Message<RelayRequest> msg, RelayReply reply) {
    String exchange = msg.body().exchangeAddress();
    if (msg.replyAddress() != null || exchange == null) {
      msg.reply(reply);
    } else {
      vertx.eventBus().send(Addresses.eventsOf(exchange), new RelayAnswer(exchange, reply));
    }
  }

  private void onRelay(Message<RelayRequest> msg) {
    RelayRequest req = msg.body();
    JsonObject m = req.message();
    if (req.stateless()) {
      Scope scope = sessions.tenant(req);
      if (!JsonRpc.isRequest(m)) {
        answer(msg, RelayReply.accepted());
        return;
      }
      Call call = new Call(scope, req.exchangeAddress(), m.getValue("id"), JsonRpc.progressToken(JsonRpc.params(m)));
      call.paramHeaders = req.paramHeaders();
      String method = m.getString("method");
      Future<JsonObject> answer = "server/discover".equals(method)
          ? Discovery.discover(this, scope, req.endpoint(), m.getValue("id"))
          : "subscriptions/listen".equals(method) ? subscriptions.listen(scope, req.endpoint(), m, call)
          : relay.handle(scope, req.endpoint(), m, call);
      answer.onComplete(ar -> answer(msg, reply(ar.result(), m.getValue("id"), call)));
      return;
    }
    if ("initialize".equals(m.getString("method"))) {
      initialize(msg, req);
      return;
    }
    DownstreamSession ds = sessions.seen(req);
    // draining or ending: the session's calls in flight finish, and its client's answers to them still arrive
    if (ds == null || (draining || ds.ending) && JsonRpc.isRequest(m)) {
      answer(msg, new RelayReply(404, JunctionError.UNKNOWN_SESSION.response(null), null, 0));
      return;
    }
    if (JsonRpc.isResponse(m)) {
      events.clientResponse(ds, m);
      answer(msg, RelayReply.accepted());
    } else if (JsonRpc.isNotification(m)) {
      events.clientNotification(ds, m);
      answer(msg, RelayReply.accepted());
    } else {
      Call call = new Call(ds, req.exchangeAddress(), m.getValue("id"), JsonRpc.progressToken(JsonRpc.params(m)));
      ds.calls++;
      relay.handle(ds, ds.endpoint, m, call).onComplete(ar -> {
        ds.calls--;
        ds.lastSeen = System.currentTimeMillis(); // an answer is activity: idle time counts from here
        answer(msg, reply(ar.result(), m.getValue("id"), call));
        sessions.callDone(ds);
      });
    }
  }

  private void onSessionCommand(Message<SessionCommand> msg) {
    if (draining && msg.body().kind() == SessionCommand.Kind.OPEN_STREAM) {
      msg.reply(SessionReply.UNKNOWN);
      return;
    }
    if (msg.body().kind() == SessionCommand.Kind.CANCEL_EXCHANGE) {
      subscriptions.closed(msg.body().address()); // a listen stream ends when its client closes it
    }
    sessions.command(msg);
  }

  /**
   * A clustered node drains (README, "Deploy on Kubernetes"): other nodes keep forwarding requests
   * of this shard's sessions after its listener has closed. From now on they get 404, as after
   * the node has left, so their clients re-initialize elsewhere; calls in flight get up to the
   * timeout to finish. Answers how many did not.
   */
  private void onDrain(Message<DrainSessions> msg) {
    draining = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(msg.body().timeoutMs());
    if (inFlight() == 0) {
      msg.reply(new DrainReply(0));
      return;
    }
    vertx.setPeriodic(DRAIN_CHECK_MS, timer -> {
      int left = inFlight();
      if (left == 0 || System.nanoTime() - deadline > 0) {
        vertx.cancelTimer(timer);
        msg.reply(new DrainReply(left));
      }
    });
  }

  private int inFlight() {
    int calls = 0;
    for (DownstreamSession ds : sessions.all()) {
      calls += ds.calls;
    }
    return calls;
  }

  private static RelayReply reply(JsonObject response, Object id, Call call) {
    return RelayReply.ok(response != null ? response : JunctionError.INTERNAL.response(id), call.streamed);
  }

  private void initialize(Message<RelayRequest> msg, RelayRequest req) {
    DownstreamSession ds = sessions.open(req);
    Discovery.initialize(this, ds, req.endpoint(), req.message().getValue("id")).onComplete(ar -> {
      JsonObject response = ar.result();
      if (response.containsKey("error")) {
        sessions.failed(ds);
        answer(msg, RelayReply.ok(response, 0));
      } else {
        sessions.established();
        answer(msg, new RelayReply(200, response, ds.id, 0));
      }
    });
  }
}
