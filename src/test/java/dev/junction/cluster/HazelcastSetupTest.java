package dev.junction.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.junction.config.ClusterOptions;
import dev.junction.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HazelcastSetupTest {
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  private ClusterOptions cluster(String yaml) {
    return loader.parse("auth: {unauthenticated: allow}\ncluster:\n" + yaml).cluster();
  }

  @Test
  void staticMembersOverTcpBoundToTheClusterHostAndNothingElse() {
    Config config = HazelcastSetup.config(cluster("""
          enabled: true
          host: 10.1.2.3
          port: 5702
          members: [10.1.2.3:5702, 10.1.2.4:5702]
          memberTimeout: 4s
        """));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.1.2.3:5702", "10.1.2.4:5702");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5702);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.1.2.3");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("4");
    assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    assertThat(HazelcastSetup.eventBus(cluster("  enabled: true\n  host: 10.1.2.3\n  busPort: 17001\n")))
        .satisfies(bus -> {
          assertThat(bus.getHost()).isEqualTo("10.1.2.3");
          assertThat(bus.getPort()).isEqualTo(17001);
          assertThat(bus.getClusterPublicHost()).isEqualTo("10.1.2.3");
        });
  }

  @Test
  void kubernetesDnsDiscoveryInsteadOfMembers() {
    JoinConfig join = HazelcastSetup.config(cluster("""
          enabled: true
          kubernetes: {serviceDns: junction-cluster.ns.svc.cluster.local}
        """)).getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("junction-cluster.ns.svc.cluster.local");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
  }

  @Test
  void aNodeWithoutMembersJoinsItself() {
    assertThat(HazelcastSetup.config(cluster("  enabled: true\n")).getNetworkConfig().getJoin().getTcpIpConfig()
        .getMembers()).isEqualTo(List.of("127.0.0.1:5701"));
  }
}
