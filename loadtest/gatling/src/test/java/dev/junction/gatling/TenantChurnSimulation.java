package dev.junction.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.UUID;

/**
 * Tenant churn: every second new stateless (2026-07-28) clients arrive, each a tenant of its own
 * ({@code x-tenant-id} is part of the tenant key), make a few calls and leave without a word (a
 * stateless client has nothing to DELETE). Each new tenant costs the pool an upstream session
 * (initialize first), and the gateway's idle reaping, set short here, closes them while the load
 * goes on. Settings: {@code -Dload.duration} (s), {@code -Dload.tenantsPerSec} (default 50),
 * {@code -Dload.callsPerTenant} (default 3).
 */
public class TenantChurnSimulation extends LoadSimulation {
  public TenantChurnSimulation() {
    // short idle and eviction times: the sessions of departed tenants are reaped during the run
    super("\"a\": \"stub\"", "\"pool\": {\"idleTimeout\": \"5s\", \"evictionInterval\": \"1s\"}");
    int calls = Mcp.setting("load.callsPerTenant", 3);
    ScenarioBuilder churn = scenario("new tenant per client")
        .exec(s -> s.set("tenant", "churn-" + UUID.randomUUID()))
        // the first call opens the tenant's upstream session (a pool miss), the others reuse it
        .exec(Mcp.statelessCall("tools/call, new tenant", "a_echo", "{\"text\": \"hi\"}"))
        .exec(repeat(calls - 1).on(pause(Duration.ofMillis(100)),
            Mcp.statelessCall("tools/call, same tenant", "a_echo", "{\"text\": \"hi\"}")));
    setUp(churn.injectOpen(constantUsersPerSec(Mcp.setting("load.tenantsPerSec", 50)).during(Mcp.duration())))
        .protocols(Mcp.protocol(target))
        .assertions(healthy(3000));
  }
}
