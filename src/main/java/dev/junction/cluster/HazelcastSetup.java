package dev.junction.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.junction.config.ClusterOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * The Hazelcast member behind the clustered event bus, configured in code from {@code cluster:}:
 * TCP join with the static members, or DNS discovery of a Kubernetes headless Service; no
 * multicast, no auto-detection, no phone-home; member traffic bound to {@code cluster.host} only.
 */
public final class HazelcastSetup {
  /** Hazelcast's cluster name: members of other clusters on the same network are refused. */
  static final String CLUSTER_NAME = "junction";

  private HazelcastSetup() {
  }

  /** A cluster manager that joins as {@code options} say. */
  public static ClusterManager manager(ClusterOptions options) {
    // read before the member's config: its first lines would go to java.util.logging otherwise
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    return new HazelcastClusterManager(config(options));
  }

  /** Where the event bus listens and what it announces: {@code cluster.host}, {@code cluster.busPort}. */
  public static EventBusOptions eventBus(ClusterOptions options) {
    return new EventBusOptions().setHost(options.host()).setPort(options.busPort())
        .setClusterPublicHost(options.host());
  }

  static Config config(ClusterOptions options) {
    Config config = new Config().setClusterName(CLUSTER_NAME);
    long timeoutSeconds = Math.max(1, options.memberTimeoutMs() / 1_000);
    config.setProperty("hazelcast.logging.type", "slf4j")
        .setProperty("hazelcast.phone.home.enabled", "false")
        .setProperty("hazelcast.socket.bind.any", "false")
        // a member silent this long is removed; heartbeats go every second so a short timeout works
        .setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(timeoutSeconds))
        .setProperty("hazelcast.heartbeat.interval.seconds", "1")
        // Vert.x closes the member when the gateway closes; the JVM's hook would race it
        .setProperty("hazelcast.shutdownhook.enabled", "false")
        .setProperty("hazelcast.wait.seconds.before.join", "1")
        .setProperty("hazelcast.jmx", "false");
    // Vert.x keeps its event-bus registrations and node infos in these (as its own default config does)
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.getMapConfig("__vertx.haInfo").setBackupCount(1);
    config.getMapConfig("__vertx.nodeInfo").setBackupCount(1);

    NetworkConfig network = config.getNetworkConfig().setPort(options.port()).setPortAutoIncrement(false)
        .setPublicAddress(options.host() + ":" + options.port());
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(options.host()));
    network.getRestApiConfig().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (options.serviceDns() != null) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", options.serviceDns())
          .setProperty("service-port", Integer.toString(options.port()));
    } else {
      List<String> members = options.members().isEmpty()
          ? List.of(options.host() + ":" + options.port()) : options.members();
      join.getTcpIpConfig().setEnabled(true).setMembers(members).setConnectionTimeoutSeconds(2);
    }
    return config;
  }
}
