package dev.junction.gatling;

import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Mixed protocol revisions at once on one gateway and one upstream: session-based clients of
 * 2025-03-26 (no MCP-Protocol-Version header), 2025-06-18 and 2025-11-25, and stateless
 * 2026-07-28 clients, each listing the tools and then calling at a fixed pace. initialize must
 * agree on each client's own revision. Settings: {@code -Dload.duration} (s), {@code -Dload.users}
 * (clients per revision, default 15), {@code -Dload.paceMs} (default 100).
 */
public class MixedRevisionsSimulation extends Simulation {
  private static final List<String> SESSION_REVISIONS = List.of("2025-03-26", "2025-06-18", "2025-11-25");
  private static final String ARGS = "{\"text\": \"hello\"}";

  private final Target target = new Target();

  {
    int users = Mcp.setting("load.users", 15);
    Duration pace = Duration.ofMillis(Mcp.setting("load.paceMs", 100));
    Duration duration = Mcp.duration();
    List<PopulationBuilder> populations = new ArrayList<>();
    for (String version : SESSION_REVISIONS) {
      ScenarioBuilder clients = scenario("session clients " + version)
          .exec(s -> s.set("tenant", "mixed-" + s.userId() % 8))
          .exec(Mcp.open(version))
          .exec(Mcp.list(version))
          .exec(during(duration).on(pace(pace).exec(Mcp.call("tools/call " + version, version, "a_echo", ARGS))))
          .exec(Mcp.close(version));
      populations.add(clients.injectOpen(rampUsers(users).during(5)));
    }
    ScenarioBuilder stateless = scenario("stateless clients " + Mcp.STATELESS)
        .exec(s -> s.set("tenant", "mixed-" + s.userId() % 8))
        .exec(Mcp.statelessList())
        .exec(during(duration).on(pace(pace).exec(Mcp.statelessCall("tools/call " + Mcp.STATELESS, "a_echo", ARGS))));
    populations.add(stateless.injectOpen(rampUsers(users).during(5)));
    setUp(populations)
        .protocols(Mcp.protocol(target))
        .assertions(
            global().failedRequests().percent().lte(0.1),
            global().responseTime().percentile(99.0).lt(Mcp.setting("load.p99Ms", 1000)));
  }

  @Override
  public void before() {
    target.start("\"a\": \"stub\"", "\"pool\": {\"maxInFlightPerTenant\": 1000}");
  }

  @Override
  public void after() {
    target.close();
  }
}
