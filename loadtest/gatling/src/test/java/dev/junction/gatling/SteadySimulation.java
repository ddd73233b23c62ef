package dev.junction.gatling;

import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Steady tools/call through the pool: session-based clients (2025-11-25: initialize, initialized,
 * calls, DELETE) and stateless 2026-07-28 clients at once, every client calling at a fixed pace,
 * spread over a few tenants. Settings: {@code -Dload.duration} (s), {@code -Dload.users} (clients
 * of each kind, default 30), {@code -Dload.paceMs} (time between one client's calls, default 100).
 */
public class SteadySimulation extends Simulation {
  private static final String VERSION = "2025-11-25";
  private static final String ARGS = "{\"text\": \"hello\", \"size\": 100}";

  private final Target target = new Target();

  {
    int users = Mcp.setting("load.users", 30);
    Duration pace = Duration.ofMillis(Mcp.setting("load.paceMs", 100));
    Duration duration = Mcp.duration();
    ScenarioBuilder sessions = scenario("session clients " + VERSION)
        .exec(s -> s.set("tenant", "steady-" + s.userId() % 8))
        .exec(Mcp.open(VERSION))
        .exec(during(duration).on(pace(pace).exec(Mcp.call("tools/call " + VERSION, VERSION, "a_echo", ARGS))))
        .exec(Mcp.close(VERSION));
    ScenarioBuilder stateless = scenario("stateless clients " + Mcp.STATELESS)
        .exec(s -> s.set("tenant", "steady-" + s.userId() % 8))
        .exec(during(duration).on(pace(pace).exec(Mcp.statelessCall("tools/call " + Mcp.STATELESS, "a_echo", ARGS))));
    setUp(
        sessions.injectOpen(rampUsers(users).during(5)),
        stateless.injectOpen(rampUsers(users).during(5)))
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
