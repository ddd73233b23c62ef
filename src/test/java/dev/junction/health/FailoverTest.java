package dev.junction.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.bus.UpstreamState;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverTest {
  private final JunctionConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
      auth: {unauthenticated: allow}
      health: {failbackAfter: 10s}
      upstreams:
        p: {transport: streamable-http, url: "http://127.0.0.1:1/mcp", failover: [b1, b2]}
        b1: {transport: streamable-http, url: "http://127.0.0.1:2/mcp"}
        b2: {transport: streamable-http, url: "http://127.0.0.1:3/mcp"}
      """);
  private final Map<String, Monitor> all = new LinkedHashMap<>();

  {
    config.upstreams().values().forEach(u -> all.put(u.name(), new Monitor(u)));
  }

  private Monitor m(String name) {
    return all.get(name);
  }

  @Test
  void thePrimaryServesWhileItIsUpEvenWhenDegraded() {
    m("p").state = UpstreamState.DEGRADED;
    assertThat(Failover.choose(m("p"), all, 0)).isEqualTo("p");
  }

  @Test
  void anOpenPrimaryMovesToTheFirstMemberWhoseCircuitIsClosed() {
    m("p").open = true;
    assertThat(Failover.choose(m("p"), all, 0)).isEqualTo("b1");
    m("b1").open = true;
    assertThat(Failover.choose(m("p"), all, 0)).isEqualTo("b2");
    m("b2").open = true;
    assertThat(Failover.choose(m("p"), all, 0)).as("nobody is up: the primary's circuit answers").isEqualTo("p");
  }

  @Test
  void trafficComesBackOnlyAfterThePrimaryHasBeenHealthyForFailbackAfter() {
    m("p").serving = "b1";
    m("p").state = UpstreamState.HEALTHY;
    m("p").healthySince = 1_000;
    assertThat(Failover.choose(m("p"), all, 1_000 + 9_999)).isEqualTo("b1");
    assertThat(Failover.choose(m("p"), all, 1_000 + 10_000)).isEqualTo("p");
    m("p").state = UpstreamState.DEGRADED;
    assertThat(Failover.choose(m("p"), all, 1_000 + 60_000)).as("not Healthy: no failback").isEqualTo("b1");
    m("b1").open = true;
    assertThat(Failover.choose(m("p"), all, 1_000 + 60_000)).as("the backup fell: the next member, as the primary has not earned failback")
        .isEqualTo("b2");
  }
}
