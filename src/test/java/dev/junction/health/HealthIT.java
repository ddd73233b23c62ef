package dev.junction.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Admin;
import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkHttpServer;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Probes, states, circuits and reconnects against real faults: a refused port, a black hole, a stopped server. */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HealthIT {

  private static JsonObject call(String tool) {
    return new JsonObject().put("name", tool).put("arguments", new JsonObject());
  }

  /** A loopback port nothing listens on. */
  private static int refusedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static double metric(String text, String name, String... labels) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && List.of(labels).stream().allMatch(line::contains)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  @Test
  void probesReportEachUpstreamsStateAndReadinessNeedsAHealthyOne() throws Exception {
    JsonObject health = new JsonObject().put("probeInterval", "200ms").put("failureThreshold", 2)
        .put("reconnect", new JsonObject().put("initialDelay", "300ms").put("maxDelay", "1s"))
        .put("readyNeedsHealthyUpstream", true);
    try (StubMcpServer stub = StubMcpServer.start()) {
      String down = "http://127.0.0.1:" + refusedPort() + "/mcp";
      try (Gateway gateway = Gateway.start(new JsonObject().put("ok", Gateway.http(stub.url())).put("down", Gateway.http(down)),
               new JsonObject().put("health", health).put("admin", Admin.config()));
           Admin admin = new Admin(gateway);
           RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
        Await.until(() -> "Healthy".equals(admin.state("ok")), 10, "ok to be Healthy");
        Await.until(() -> "Disconnected".equals(admin.state("down")), 10, "down to be Disconnected");
        assertThat(admin.upstream("down").getString("circuit")).isIn("open", "half-open");
        assertThat(admin.upstream("down").getString("lastError")).isNotBlank();
        assertThat(admin.readyStatus()).isEqualTo(200);
        String metrics = admin.metrics();
        assertThat(metric(metrics, "junction_upstream_state", "upstream=\"ok\"", "state=\"Healthy\"")).isEqualTo(1.0);
        assertThat(metric(metrics, "junction_upstream_state", "upstream=\"ok\"", "state=\"Degraded\"")).isEqualTo(0.0);
        assertThat(metric(metrics, "junction_upstream_state", "upstream=\"down\"", "state=\"Disconnected\"")).isEqualTo(1.0);

        long start = System.nanoTime();
        RawMcp.Reply r = mcp.stateless(1, "tools/call", call("down_echo"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(r.error().getInteger("code")).isEqualTo(-32603);
        assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("down");
        assertThat(mcp.stateless(2, "tools/call", call("ok_echo")).result()).isNotNull();
      }
    }
  }

  @Test
  void readinessWaitsForAHealthyUpstreamOnlyWhenConfigured() throws Exception {
    JsonObject down = Gateway.http("http://127.0.0.1:" + refusedPort() + "/mcp");
    JsonObject health = new JsonObject().put("probeInterval", "100ms").put("failureThreshold", 1);
    try (Gateway strict = Gateway.start(new JsonObject().put("down", down),
             new JsonObject().put("health", health.copy().put("readyNeedsHealthyUpstream", true)).put("admin", Admin.config()));
         Admin admin = new Admin(strict)) {
      Await.until(() -> "Disconnected".equals(admin.state("down")), 10, "down to be Disconnected");
      assertThat(admin.readyStatus()).isEqualTo(503);
    }
    try (Gateway lenient = Gateway.start(new JsonObject().put("down", down), new JsonObject().put("health", health));
         Admin admin = new Admin(lenient)) {
      assertThat(admin.readyStatus()).isEqualTo(200);
    }
  }

  @Test
  void aStoppedServerIsReconnectedWithBackoffOnceItIsBack() {
    JsonObject health = new JsonObject().put("probeInterval", "100ms").put("failureThreshold", 2)
        .put("reconnect", new JsonObject().put("initialDelay", "200ms").put("multiplier", 2).put("maxDelay", "800ms")
            .put("jitter", 0));
    try (StubMcpServer stub = StubMcpServer.start(StubMcpServer.Spec.basic().withTools(List.of("echo", "lookup"), 100));
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("health", health).put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      assertThat(mcp.stateless(1, "tools/call", call("stub_echo")).result()).isNotNull();
      Await.until(() -> "Healthy".equals(admin.state("stub")), 10, "stub to be Healthy");

      stub.stop();
      Await.until(() -> "Disconnected".equals(admin.state("stub")), 10, "stub to be Disconnected");
      RawMcp.Reply whileDown = mcp.stateless(2, "tools/call", call("stub_echo"));
      assertThat(whileDown.error().getInteger("code")).isEqualTo(-32603);
      assertThat(whileDown.error().getJsonObject("data").getString("upstream")).isEqualTo("stub");
      // 3 s down: backoff 200, 400, 800, 800 ms... gives about 4 attempts; a fixed 200 ms would give 15
      long downAt = System.nanoTime();
      Await.until(() -> System.nanoTime() - downAt > TimeUnit.SECONDS.toNanos(3), 5, "3 s of downtime");
      double failed = metric(admin.metrics(), "junction_upstream_reconnects_total", "upstream=\"stub\"", "outcome=\"failed\"");
      assertThat(failed).isBetween(2.0, 8.0);

      stub.restart();
      Await.until(() -> "Healthy".equals(admin.state("stub")), 10, "stub to be Healthy again");
      assertThat(admin.upstream("stub").getString("circuit")).isEqualTo("closed");
      assertThat(metric(admin.metrics(), "junction_upstream_reconnects_total", "upstream=\"stub\"", "outcome=\"ok\""))
          .isEqualTo(1.0);
      // the circuit dropped the idle sessions when it opened: the next call opens a fresh one
      RawMcp.Reply after = mcp.stateless(3, "tools/call", call("stub_echo"));
      assertThat(after.result()).as(after.body()).isNotNull();
    }
  }

  @Test
  void anSdkServerRestartedOnItsPortIsUsedAgainWithoutAFailedCall() {
    JsonObject health = new JsonObject().put("probeInterval", "100ms").put("failureThreshold", 2)
        .put("reconnect", new JsonObject().put("initialDelay", "100ms").put("maxDelay", "400ms"));
    SdkHttpServer sdk = SdkHttpServer.start("phoenix");
    int port = sdk.port();
    try (Gateway gateway = Gateway.start(new JsonObject().put("sdk", Gateway.http(sdk.url())),
             new JsonObject().put("health", health).put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize("2025-11-25", new JsonObject());
      JsonObject echo = new JsonObject().put("jsonrpc", "2.0").put("method", "tools/call")
          .put("params", call("sdk_echo").put("arguments", new JsonObject().put("text", "hi")));
      assertThat(mcp.post(RawMcp.sessionHeaders(session, "2025-11-25"), echo.copy().put("id", 1)).result()).isNotNull();
      sdk.close();
      Await.until(() -> "Disconnected".equals(admin.state("sdk")), 10, "sdk to be Disconnected");
      sdk = SdkHttpServer.start("phoenix", port);
      Await.until(() -> "Healthy".equals(admin.state("sdk")), 10, "sdk to be Healthy again");
      RawMcp.Reply after = mcp.post(RawMcp.sessionHeaders(session, "2025-11-25"), echo.copy().put("id", 2));
      assertThat(after.result().getJsonArray("content").getJsonObject(0).getString("text")).as(after.body()).isEqualTo("hi");
    } finally {
      sdk.close();
    }
  }

  @Test
  void aBlackHoleTimesOutAndBecomesUnhealthy() throws Exception {
    try (ServerSocket hole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      JsonObject upstream = Gateway.http("http://127.0.0.1:" + hole.getLocalPort() + "/mcp").put("connectTimeout", "500ms");
      try (Gateway gateway = Gateway.start(new JsonObject().put("hole", upstream),
               new JsonObject().put("health", new JsonObject().put("failureThreshold", 2)
                   .put("reconnect", new JsonObject().put("initialDelay", "30s"))).put("admin", Admin.config()));
           Admin admin = new Admin(gateway);
           RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
        for (int i = 0; i < 2; i++) {
          long start = System.nanoTime();
          RawMcp.Reply r = mcp.stateless(i, "tools/call", call("hole_echo"));
          assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
          assertThat(r.error().getInteger("code")).as(r.body()).isEqualTo(-32001);
          assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("hole");
        }
        Await.until(() -> "Unhealthy".equals(admin.state("hole")), 5, "hole to be Unhealthy");
        long start = System.nanoTime();
        RawMcp.Reply open = mcp.stateless(9, "tools/call", call("hole_echo"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(500);
        assertThat(open.error().getString("message")).contains("circuit open");
      }
    }
  }

  @Test
  void aProbeFallsBackAlongTheChainWhenPingIsNotSupported() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("health", new JsonObject().put("probeInterval", "100ms")).put("admin", Admin.config()));
         Admin admin = new Admin(gateway)) {
      stub.noPing(true);
      long lists = stub.count("tools/list");
      Await.until(() -> stub.count("tools/list") >= lists + 2, 10, "probes to fall back to tools/list");
      assertThat(admin.state("stub")).isEqualTo("Healthy");
      assertThat(admin.upstream("stub").getString("lastProbe")).isEqualTo("ok");
      // nobody but the probes talked to it: the probe tenant's own session
      assertThat(stub.count("tools/call")).isZero();
    }
  }

  @Test
  void failuresBelowTheThresholdDegradeAndASuccessHeals() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("health", new JsonObject().put("failureThreshold", 3)).put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      assertThat(mcp.stateless(1, "tools/call", call("stub_echo")).result()).isNotNull();
      Await.until(() -> "Healthy".equals(admin.state("stub")), 5, "stub to be Healthy");
      stub.failing(true);
      assertThat(mcp.stateless(2, "tools/call", call("stub_echo")).error().getJsonObject("data").getString("upstream"))
          .isEqualTo("stub");
      Await.until(() -> "Degraded".equals(admin.state("stub")), 5, "stub to be Degraded");
      assertThat(admin.upstream("stub").getInteger("consecutiveFailures")).isEqualTo(1);
      assertThat(admin.upstream("stub").getString("circuit")).isEqualTo("closed");
      stub.failing(false);
      assertThat(mcp.stateless(3, "tools/call", call("stub_echo")).result()).isNotNull();
      Await.until(() -> "Healthy".equals(admin.state("stub")), 5, "stub to be Healthy again");
    }
  }
}
