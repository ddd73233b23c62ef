package dev.junction.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Admin;
import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A primary with a backup: traffic moves when the primary fails, and back once it has been healthy for a while. */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailoverIT {

  /** Which server answered a call of {@code main_echo}, or null for an error. */
  private static String servedBy(RawMcp mcp, int id) {
    RawMcp.Reply r = mcp.stateless(id, "tools/call", new JsonObject().put("name", "main_echo").put("arguments", new JsonObject()));
    return r.result() == null ? null : r.result().getString("server");
  }

  /** {@code main} served by the primary, with {@code spare} (the backup) as its failover member. */
  private static Gateway gateway(StubMcpServer primary, StubMcpServer backup, JsonObject health) {
    return Gateway.start(new JsonObject()
            .put("main", Gateway.http(primary.url()).put("failover", List.of("spare")))
            .put("spare", Gateway.http(backup.url())),
        new JsonObject().put("health", health).put("admin", Admin.config()));
  }

  @Test
  void trafficFailsOverToTheBackupAndFailsBackAfterThePrimaryRecovers() {
    JsonObject health = new JsonObject().put("probeInterval", "100ms").put("failureThreshold", 2).put("failbackAfter", "1500ms")
        .put("reconnect", new JsonObject().put("initialDelay", "100ms").put("maxDelay", "300ms").put("jitter", 0));
    try (StubMcpServer primary = StubMcpServer.start(StubMcpServer.Spec.basic().named("primary"));
         StubMcpServer backup = StubMcpServer.start(StubMcpServer.Spec.basic().named("backup"));
         Gateway gateway = gateway(primary, backup, health);
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      assertThat(servedBy(mcp, 1)).isEqualTo("primary");
      // a failover member serves through its primary's names; it is not listed on its own
      JsonObject tools = mcp.stateless(2, "tools/list", null).result();
      assertThat(tools.getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name")))
          .containsExactly("main_echo");

      primary.stop();
      Await.until(() -> "spare".equals(admin.upstream("main").getString("serving")), 10, "traffic to move to spare");
      assertThat(admin.state("main")).isEqualTo("Disconnected");
      assertThat(servedBy(mcp, 3)).isEqualTo("backup");
      assertThat(servedBy(mcp, 4)).isEqualTo("backup");

      primary.restart();
      Await.until(() -> "Healthy".equals(admin.state("main")), 10, "main to be Healthy again");
      long healthyAt = System.nanoTime();
      // healthy, but not yet for failbackAfter: the backup keeps the traffic
      assertThat(servedBy(mcp, 5)).isEqualTo("backup");
      Await.until(() -> "main".equals(admin.upstream("main").getString("serving")), 10, "traffic to move back");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healthyAt)).isGreaterThan(1_000);
      assertThat(servedBy(mcp, 6)).isEqualTo("primary");
      String metrics = admin.metrics();
      assertThat(metrics).contains("junction_upstream_failovers_total{serving=\"spare\",upstream=\"main\"} 1.0")
          .contains("junction_upstream_failovers_total{serving=\"main\",upstream=\"main\"} 1.0");
    }
  }

  @Test
  void withEveryMemberDownCallsGetTheCircuitError() {
    JsonObject health = new JsonObject().put("probeInterval", "100ms").put("failureThreshold", 1)
        .put("reconnect", new JsonObject().put("initialDelay", "10s"));
    try (StubMcpServer primary = StubMcpServer.start(StubMcpServer.Spec.basic().named("primary"));
         StubMcpServer backup = StubMcpServer.start(StubMcpServer.Spec.basic().named("backup"));
         Gateway gateway = gateway(primary, backup, health);
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      primary.stop();
      backup.stop();
      // a probe that meets a server while it closes may see an answer cut off rather than a refused
      // connection (Unhealthy, not Disconnected); either way the circuit opens, and that is the point here
      Await.until(() -> "open".equals(admin.upstream("main").getString("circuit"))
          && "open".equals(admin.upstream("spare").getString("circuit")), 20, "both circuits to open",
          () -> admin.upstream("main") + " " + admin.upstream("spare"));
      assertThat(List.of(admin.state("main"), admin.state("spare"))).allMatch(s -> s.equals("Disconnected") || s.equals("Unhealthy"));
      RawMcp.Reply r = mcp.stateless(1, "tools/call", new JsonObject().put("name", "main_echo").put("arguments", new JsonObject()));
      assertThat(r.error().getInteger("code")).isEqualTo(-32603);
      assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("main");
      assertThat(r.error().getString("message")).contains("circuit open");
    }
  }
}
