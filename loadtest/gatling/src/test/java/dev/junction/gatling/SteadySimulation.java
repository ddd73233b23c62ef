package dev.junction.gatling;

import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;

/**
 * Steady tools/call through the pool: session-based clients (2025-11-25: initialize, initialized,
 * calls, DELETE) and stateless 2026-07-28 clients at once, every client calling at a fixed pace,
 * spread over a few tenants. Settings: {@code -Dload.duration} (s), {@code -Dload.users} (clients
 * of each kind, default 30), {@code -Dload.paceMs} (time between one client's calls, default 100).
 */
public class SteadySimulation extends LoadSimulation {
  private static final String VERSION = "2025-11-25";
  private static final String ARGS = "{\"text\": \"hello\", \"size\": 100}";

  public SteadySimulation() {
    super("\"a\": \"stub\"", "\"pool\": {\"maxInFlightPerTenant\": 1000}");
    int users = Mcp.setting("load.users", 30);
    ScenarioBuilder sessions = scenario("session clients " + VERSION)
        .exec(Mcp.tenantOf("steady", 8), Mcp.open(VERSION), Mcp.callLoop(VERSION, "a_echo", ARGS), Mcp.close(VERSION));
    ScenarioBuilder stateless = scenario("stateless clients " + Mcp.STATELESS)
        .exec(Mcp.tenantOf("steady", 8), Mcp.statelessCallLoop("a_echo", ARGS));
    setUp(
        sessions.injectOpen(rampUsers(users).during(5)),
        stateless.injectOpen(rampUsers(users).during(5)))
        .protocols(Mcp.protocol(target))
        .assertions(healthy(1000));
  }
}
