package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  @Test
  void offByDefault() {
    ClusterOptions c = loader.parse("auth: {unauthenticated: allow}\n").cluster();
    assertThat(c.enabled()).isFalse();
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(5701);
    assertThat(c.busPort()).isZero();
    assertThat(c.members()).isEmpty();
    assertThat(c.serviceDns()).isNull();
    assertThat(c.memberTimeoutMs()).isEqualTo(10_000);
  }

  @Test
  void readsTheIssuesKeys() {
    JunctionConfig config = loader.parse("""
        auth: {unauthenticated: allow}
        cluster:
          enabled: true
          host: 10.0.0.7
          port: 5702
          busPort: 17001
          members: [10.0.0.7:5702, 10.0.0.8:5702]
          memberTimeout: 3s
        """);
    ClusterOptions c = config.cluster();
    assertThat(c.enabled()).isTrue();
    assertThat(c.host()).isEqualTo("10.0.0.7");
    assertThat(c.port()).isEqualTo(5702);
    assertThat(c.busPort()).isEqualTo(17001);
    assertThat(c.members()).containsExactly("10.0.0.7:5702", "10.0.0.8:5702");
    assertThat(c.memberTimeoutMs()).isEqualTo(3_000);
    assertThat(config.toJson().getJsonObject("cluster").getString("memberTimeout")).isEqualTo("3s");
    ClusterOptions k8s = loader.parse("""
        auth: {unauthenticated: allow}
        cluster: {enabled: true, kubernetes: {serviceDns: junction-cluster.ns.svc.cluster.local}}
        """).cluster();
    assertThat(k8s.serviceDns()).isEqualTo("junction-cluster.ns.svc.cluster.local");
  }

  @Test
  void reportsEveryBadKeyWithItsPath() {
    assertThatThrownBy(() -> loader.parse("""
        auth: {unauthenticated: allow}
        cluster:
          enabled: yes please
          host: ""
          port: 0
          busPort: 70000
          members: [nohost, "a:b"]
          kubernetes: {serviceDns: x, namespace: y}
          memberTimeout: 10ms
          multicast: true
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).contains(
            "cluster.enabled: must be true or false", "cluster.host: must not be empty",
            "cluster.port: must be 1..65535, got 0", "cluster.busPort: must be 0..65535, got 70000",
            "cluster.members[0]: must be host:port, got 'nohost'", "cluster.members[1]: must be host:port, got 'a:b'",
            "cluster.memberTimeout: must be at least 1s")
            .anySatisfy(err -> assertThat(err).contains("cluster.kubernetes").contains("namespace"))
            .anySatisfy(err -> assertThat(err).contains("cluster").contains("multicast")));
    assertThatThrownBy(() -> loader.parse("auth: {unauthenticated: allow}\ncluster: {host: 0.0.0.0}\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
            .containsExactly("cluster.host: must be this node's address, not a wildcard"));
  }
}
