package dev.junction;

import dev.junction.bus.Addresses;
import dev.junction.bus.Codecs;
import dev.junction.bus.GatewayStarted;
import dev.junction.bus.DrainStarted;
import dev.junction.bus.LocalNode;
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
  /** How long a reload may take to answer: it reads and validates a file, nothing more. */
  static final long RELOAD_TIMEOUT_MS = 30_000;
  private final Vertx vertx;
  private final int port;
  private final int managementPort;
  private final String ingressDeployment;

  private Junction(Vertx vertx, int port, int managementPort, String ingressDeployment) {
    this.vertx = vertx;
    this.port = port;
    this.managementPort = managementPort;
    this.ingressDeployment = ingressDeployment;
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
        .setPreferNativeTransport(true);
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
          return new Junction(vertx, ingress.get(0).actualPort(), managementPort, ingressId[0]);
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
   */
  public Future<Void> drain(ShutdownOptions shutdown) {
    vertx.eventBus().publish(Addresses.DRAIN, new DrainStarted(shutdown.timeoutMs()));
    LOG.info("draining: /readyz answers 503; serving for {} ms more, then in-flight requests get up to {} ms",
        shutdown.drainDelayMs(), shutdown.timeoutMs());
    Promise<Void> delay = Promise.promise();
    if (shutdown.drainDelayMs() > 0) {
      vertx.setTimer(shutdown.drainDelayMs(), t -> delay.complete());
    } else {
      delay.complete();
    }
    return delay.future()
        .compose(v -> {
          LOG.info("draining: listener closed, waiting for in-flight requests");
          return vertx.undeploy(ingressDeployment);
        })
        .eventually(() -> {
          LOG.info("draining: ending upstream sessions");
          return close();
        });
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
    return vertx.close();
  }
}
