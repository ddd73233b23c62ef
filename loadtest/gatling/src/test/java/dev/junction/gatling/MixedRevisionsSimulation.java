package dev.junction.gatling;

import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Mixed protocol revisions at once on one gateway and one upstream: session-based clients of
 * 2025-03-26 (no MCP-Protocol-Version header), 2025-06-18 and 2025-11-25, and stateless
 * 2026-07-28 clients, each listing the tools and then calling at a fixed pace. initialize must
 * agree on each client's own revision. Settings: {@code -Dload.duration} (s), {@code -Dload.users}
 * (clients per revision, default 15), {@code -Dload.paceMs} (default 100).
 */
public class MixedRevisionsSimulation extends LoadSimulation {
  private static final List<String> SESSION_REVISIONS = List.of("2025-03-26", "2025-06-18", "2025-11-25");
  private static final String ARGS = "{\"text\": \"hello\"}";

  public MixedRevisionsSimulation() {
    super("\"a\": \"stub\"", "\"pool\": {\"maxInFlightPerTenant\": 1000}");
    int users = Mcp.setting("load.users", 15);
    List<PopulationBuilder> populations = new ArrayList<>();
    for (String version : SESSION_REVISIONS) {
      ScenarioBuilder clients = scenario("session clients " + version).exec(Mcp.tenantOf("mixed", 8),
          Mcp.open(version), Mcp.list(version), Mcp.callLoop(version, "a_echo", ARGS), Mcp.close(version));
      populations.add(clients.injectOpen(rampUsers(users).during(5)));
    }
    ScenarioBuilder stateless = scenario("stateless clients " + Mcp.STATELESS)
        .exec(Mcp.tenantOf("mixed", 8), Mcp.statelessList(), Mcp.statelessCallLoop("a_echo", ARGS));
    populations.add(stateless.injectOpen(rampUsers(users).during(5)));
    setUp(populations)
        .protocols(Mcp.protocol(target))
        .assertions(healthy(1000));
  }
}
