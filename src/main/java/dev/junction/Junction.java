package dev.junction;

import dev.junction.bus.Addresses;
import dev.junction.bus.Codecs;
import dev.junction.bus.GatewayStarted;
import dev.junction.bus.DrainReply;
import dev.junction.bus.DrainSessions;
import dev.junction.bus.DrainStarted;
import dev.junction.bus.LocalNode;
import dev.junction.bus.NodeLeaving;
import dev.junction.bus.ReloadConfig;
import dev.junction.bus.ReloadReply;
import dev.junction.bus.SessionIds;
import dev.junction.cluster.ClusterVerticle;
import dev.junction.cluster.HazelcastSetup;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import dev.junction.config.ShutdownOptions;
import dev.junction.health.HealthVerticle;
import dev.junction.ingress.IngressVerticle;
import dev.junction.ingress.ManagementVerticle;
import dev.junction.metrics.Tracing;
import dev.junction.oauth.OAuthVerticle;
import dev.junction.pool.PoolShardVerticle;
import dev.junction.reload.ReloadVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: one Vert.x instance with the health, OAuth, pool shard and ingress verticles
 * deployed, in that order. Used by {@link Main} and by tests.
 */
public final class Junction {
  private static final Logger LOG = LoggerFactory.getLogger(Junction.class);
  /**
   * How long a clustered node that announced its departure keeps answering before it leaves:
   * requests that other nodes sent before they heard of it are still on their way.
   */
  static final long LEAVE_SETTLE_MS = 500;
  /** How long a reload may take to answer: it reads and validates a file, nothing more. */
  static final long RELOAD_TIMEOUT_MS = 30_000;
  private final Vertx vertx;
  private final int port;
  private final int managementPort;
  private final String ingressDeployment;
  private final int shards;

  private Junction(Vertx vertx, int port, int managementPort, String ingressDeployment, int shards) {
    this.vertx = vertx;
    this.port = port;
    this.managementPort = managementPort;
    this.ingressDeployment = ingressDeployment;
    this.shards = shards;
  }

  /** Builds Vert.x with Prometheus metrics and deploys every verticle. */
  public static Future<Junction> start(JunctionConfig config) {
    return start(config, new VertxOptions());
  }

  /** As {@link #start(JunctionConfig)}, with base Vert.x options (tests tighten the blocked-thread check). */
  public static Future<Junction> start(JunctionConfig config, VertxOptions options) {
    return start(config, options, null);
  }

  /**
   * As {@link #start(JunctionConfig, VertxOptions)}, for a config read from {@code file}: the file
   * is watched, and SIGHUP and {@code POST /admin/reload} read it again ({@link #reload}).
   */
  public static Future<Junction> start(JunctionConfig config, VertxOptions options, Path file) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    if (!config.vertxMeters()) {
      metrics.addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
          .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
          .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
          // the clustered event bus's own connections (nothing else uses raw TCP)
          .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
          .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT);
    }
    VertxOptions vertxOptions = new VertxOptions(options).setMetricsOptions(metrics)
        // epoll where it loads (Linux), the JDK's NIO otherwise
        .setPreferNativeTransport(true)
        // one loop per shard or ingress instance, not two per core: each shard shares its loop with
        // an ingress instance, so a request that stays on it is never handed to another thread
        .setEventLoopPoolSize(Math.max(config.shards(), config.ingressInstances()));
    if (!config.cluster().enabled()) {
      Vertx vertx = Vertx.builder().with(vertxOptions).withMetrics(new MicrometerMetricsFactory()).build();
      return start(vertx, config, null, file).onFailure(err -> vertx.close());
    }
    // cluster mode (cluster/package-info.java): the event bus spans every node
    ClusterManager manager = HazelcastSetup.manager(config.cluster());
    VertxBuilder builder = Vertx.builder()
        .with(vertxOptions.setEventBusOptions(HazelcastSetup.eventBus(config.cluster())))
        .withMetrics(new MicrometerMetricsFactory())
        .withClusterManager(manager);
    return builder.buildClustered().compose(vertx -> {
      if (!SessionIds.nameable(manager.getNodeId())) {
        return vertx.close().transform(v -> Future.failedFuture("the cluster manager's node id is not a UUID"));
      }
      LocalNode.set(vertx, manager.getNodeId());
      return start(vertx, config, manager, file).onFailure(err -> vertx.close());
    });
  }

  /**
   * Classes whose first load takes a long time (Netty's flight-recorder events register with JFR,
   * about 200 ms): initialized on the caller's thread, so that no event loop pays for it.
   */
  private static final List<String> SLOW_CLASSES = List.of("io.netty.buffer.AllocateBufferEvent",
      "io.netty.buffer.FreeBufferEvent", "io.netty.buffer.ReallocateBufferEvent", "io.netty.buffer.AllocateChunkEvent",
      "io.netty.buffer.FreeChunkEvent", "io.netty.buffer.ReturnChunkEvent");

  private static void warmUp() {
    for (String name : SLOW_CLASSES) {
      try {
        Class.forName(name, true, Junction.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        // another Netty version: nothing to warm up
      }
    }
  }

  /** Deploys the gateway on an existing (not clustered) Vert.x instance. */
  public static Future<Junction> start(Vertx vertx, JunctionConfig config) {
    return start(vertx, config, null, null);
  }

  private static Future<Junction> start(Vertx vertx, JunctionConfig config, ClusterManager manager, Path file) {
    warmUp();
    Codecs.register(vertx.eventBus());
    // before any verticle: they look their tracing up once, at start
    Tracing.install(vertx, config.tracing(), System.getenv());
    List<Future<String>> shards = new ArrayList<>();
    List<IngressVerticle> ingress = new ArrayList<>();
    String[] ingressId = new String[1];
    Future<String> cluster = manager == null ? Future.succeededFuture()
        : vertx.deployVerticle(new ClusterVerticle(manager));
    return cluster.compose(id -> vertx.deployVerticle(new HealthVerticle(config)))
        .compose(id -> vertx.deployVerticle(new OAuthVerticle(config)))
        .compose(id -> {
          for (int i = 0; i < config.shards(); i++) {
            shards.add(vertx.deployVerticle(new PoolShardVerticle(config, i)));
          }
          return Future.all(shards);
        })
        .compose(x -> {
          // Port 0 picks a free port; Vert.x shares a random port among servers that ask for a
          // negative one, so every ingress instance ends up on the same port.
          int port = config.port() == 0 ? -1 : config.port();
          return vertx.deployVerticle(() -> {
            IngressVerticle v = new IngressVerticle(config, port);
            ingress.add(v);
            return v;
          }, new DeploymentOptions().setInstances(config.ingressInstances()));
        })
        .compose(id -> {
          ingressId[0] = id;
          if (config.management() == null) {
            return Future.succeededFuture(-1);
          }
          ManagementVerticle management = new ManagementVerticle(config);
          return vertx.deployVerticle(management).map(x -> management.actualPort());
        })
        .compose(managementPort -> vertx.deployVerticle(new ReloadVerticle(config, file, new ConfigLoader()))
            .map(id -> managementPort))
        .map(managementPort -> {
          vertx.eventBus().send(Addresses.HEALTH_STARTED, new GatewayStarted());
          return new Junction(vertx, ingress.get(0).actualPort(), managementPort, ingressId[0], config.shards());
        });
  }

  /** The port the MCP endpoints listen on. */
  public int port() {
    return port;
  }

  /** The port of the management listener, or -1 when the MCP port serves the probes too. */
  public int managementPort() {
    return managementPort;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Leaves gracefully (SIGTERM): {@code /readyz} answers 503 at once while everything keeps
   * serving for the drain delay; then the MCP listeners close, and in-flight requests and their
   * streams get up to the timeout to finish before their connections close. Last, everything is
   * undeployed as by {@link #close()}, which ends upstream sessions.
   *
   * <p>A clustered node also drains what the other nodes forward to it: when the listeners close,
   * its pool shards stop taking new requests of its sessions (404, so that their clients
   * re-initialize on another node) and let the calls in flight finish within the same timeout.
   * Then it tells the other nodes that it leaves, so that they answer 404 for its sessions without
   * forwarding, waits {@link #LEAVE_SETTLE_MS} for what is still on its way, and leaves the cluster
   * as it closes.
   */
  public Future<Void> drain(ShutdownOptions shutdown) {
    vertx.eventBus().publish(Addresses.DRAIN, new DrainStarted(shutdown.timeoutMs(), shutdown.drainDelayMs()));
    LOG.info("draining: /readyz answers 503; serving for {} ms more, then in-flight requests get up to {} ms",
        shutdown.drainDelayMs(), shutdown.timeoutMs());
    String node = LocalNode.id(vertx);
    return delay(shutdown.drainDelayMs())
        .compose(v -> {
          LOG.info("draining: listener closed, waiting for in-flight requests");
          Future<Void> listeners = vertx.undeploy(ingressDeployment);
          if (node == null) {
            return listeners;
          }
          return Future.join(listeners, drainSessions(shutdown.timeoutMs())).<Void>mapEmpty();
        })
        // leaves even when the listeners did not close cleanly; that failure is still reported
        .transform(ar -> (node == null ? Future.<Void>succeededFuture() : leave(node))
            .transform(x -> ar.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ar.cause())))
        .eventually(() -> {
          LOG.info("draining: ending upstream sessions");
          return close();
        });
  }

  private Future<Void> delay(long ms) {
    if (ms <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> delay = Promise.promise();
    vertx.setTimer(ms, t -> delay.complete());
    return delay.future();
  }

  /** Every shard refuses new requests of its sessions and waits for the calls in flight. */
  private Future<Void> drainSessions(long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs + 1_000);
    List<Future<Message<DrainReply>>> replies = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      replies.add(vertx.eventBus().request(Addresses.drain(i), new DrainSessions(timeoutMs), options));
    }
    return Future.join(replies).transform(ar -> {
      int unfinished = replies.stream().filter(Future::succeeded)
          .mapToInt(f -> f.result().body().unfinished()).sum();
      if (unfinished > 0) {
        LOG.warn("draining: {} forwarded call(s) still in flight after {} ms; they are cut", unfinished, timeoutMs);
      }
      return Future.succeededFuture();
    });
  }

  /** Tells every node that this one leaves, and gives what is on its way to it time to arrive. */
  private Future<Void> leave(String node) {
    LOG.info("draining: leaving the cluster; this node's sessions are over");
    vertx.eventBus().publish(Addresses.CLUSTER_LEAVING, new NodeLeaving(node));
    return delay(LEAVE_SETTLE_MS);
  }

  /**
   * Reads the config file again and applies it when valid (SIGHUP, tests); the reply says whether
   * it was applied, unchanged or rejected (with every error), and what needs a restart.
   */
  public Future<ReloadReply> reload(String trigger) {
    return vertx.eventBus().<ReloadReply>request(Addresses.CONFIG_RELOAD, new ReloadConfig(trigger),
        new DeliveryOptions().setSendTimeout(RELOAD_TIMEOUT_MS)).map(m -> m.body());
  }

  /** Undeploys everything: upstream sessions are closed (DELETE for HTTP, kill for stdio). */
  public Future<Void> close() {
    Tracing tracing = Tracing.of(vertx);
    // spans ended while closing are still exported
    return vertx.close().eventually(() -> tracing.close(vertx));
  }
}
