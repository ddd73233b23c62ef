package dev.junction.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Admin;
import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkStdioServer;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** stdio upstreams as real child JVMs: crashes mid-call, restarts with backoff, the process cap, stderr, shutdown. */
@ExtendWith(LogWatch.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StdioSupervisionIT {

  private static JsonObject call(String tool, JsonObject arguments) {
    return new JsonObject().put("name", tool).put("arguments", arguments);
  }

  /** The running SDK stdio server of this name started by this JVM, if any (its command line read from /proc). */
  private static Optional<ProcessHandle> server(String name) {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> {
      try {
        List<String> args = List.of(Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline")).split("\0"));
        return args.get(args.size() - 1).equals(name) && args.contains(SdkStdioServer.class.getName());
      } catch (java.io.IOException | RuntimeException e) {
        return false;
      }
    }).findFirst();
  }

  /** Waits until the pool has handed a call of {@code upstream} to a session: it is on its way to the process. */
  private static void awaitInFlight(Admin admin, String upstream) {
    String gauge = "junction_pool_in_flight{upstream=\"" + upstream + "\"}";
    Await.until(() -> admin.metrics().contains(gauge + " 1.0"), 10, "one call in flight on " + upstream,
        () -> admin.metrics().lines().filter(l -> l.startsWith(gauge)).toList().toString());
  }

  /** A shell command that runs the SDK stdio server under {@code name} after {@code before}. */
  private static List<String> shell(String before, String name) {
    String java = String.join(" ", SdkStdioServer.command(name).stream().map(a -> "'" + a + "'").toList());
    return List.of("sh", "-c", before + "; exec " + java);
  }

  @Test
  void aProcessKilledMidCallFailsTheCallAtOnceAndIsRestarted() throws Exception {
    try (Gateway gateway = Gateway.start(new JsonObject().put("sdk", Gateway.stdio("crashy")),
             new JsonObject().put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      assertThat(mcp.stateless(1, "tools/call", call("sdk_echo", new JsonObject().put("text", "hi"))).result()).isNotNull();
      ProcessHandle first = server("crashy").orElseThrow();
      CompletableFuture<RawMcp.Reply> slow = CompletableFuture.supplyAsync(
          () -> mcp.stateless(2, "tools/call", call("sdk_slow", new JsonObject().put("ms", 60_000))));
      awaitInFlight(admin, "sdk");
      assertThat(slow).isNotDone();
      first.destroyForcibly();
      long killedAt = System.nanoTime();
      RawMcp.Reply failed = slow.get(5, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)).isLessThan(1_000);
      assertThat(failed.error().getInteger("code")).isEqualTo(-32603);
      assertThat(failed.error().getJsonObject("data").getString("upstream")).isEqualTo("sdk");

      RawMcp.Reply again = mcp.stateless(3, "tools/call", call("sdk_echo", new JsonObject().put("text", "again")));
      assertThat(again.result()).as(again.body()).isNotNull();
      ProcessHandle second = server("crashy").orElseThrow();
      assertThat(second.pid()).isNotEqualTo(first.pid());
      JsonObject view = admin.upstream("sdk");
      assertThat(view.getInteger("processes")).isEqualTo(1);
      JsonArray stderr = view.getJsonArray("stderr");
      assertThat(stderr.stream().map(l -> ((JsonObject) l).getString("line")))
          .anyMatch(l -> l.contains("stdio server crashy ready"));
      assertThat(stderr.stream().map(l -> ((JsonObject) l).getLong("pid"))).contains(first.pid(), second.pid());
    }
  }

  @Test
  void aCrashingProcessIsRestartedWithGrowingDelays(@TempDir Path dir) throws Exception {
    Path starts = dir.resolve("starts");
    JsonObject upstream = new JsonObject().put("transport", "stdio")
        .put("command", List.of("sh", "-c", "date +%s%3N >> '" + starts + "'; exit 3"))
        .put("pool", new JsonObject().put("acquireTimeout", "20s"));
    JsonObject health = new JsonObject().put("failureThreshold", 1000)
        .put("reconnect", new JsonObject().put("initialDelay", "300ms").put("multiplier", 2).put("maxDelay", "10s").put("jitter", 0));
    try (Gateway gateway = Gateway.start(new JsonObject().put("dies", upstream), new JsonObject().put("health", health));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      long start = System.nanoTime();
      int id = 0;
      while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3_500)) {
        RawMcp.Reply r = mcp.stateless(++id, "tools/call", call("dies_echo", new JsonObject()));
        assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("dies");
      }
    }
    List<Long> at = Files.readAllLines(starts).stream().map(Long::parseLong).toList();
    // at once, then 300, 600, 1200 ms...: about 5 starts in 3.5 s, where a restart per call would give dozens
    assertThat(at.size()).isBetween(3, 8);
    long lastGap = at.get(at.size() - 1) - at.get(at.size() - 2);
    assertThat(lastGap).isGreaterThanOrEqualTo(500);
  }

  @Test
  void theProcessCapHoldsAcrossTenants() {
    JsonObject upstream = Gateway.stdio("capped").put("maxProcesses", 1).put("sharing", "tenant");
    try (Gateway gateway = Gateway.start(new JsonObject().put("cap", upstream), new JsonObject().put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      JsonObject echo = call("cap_echo", new JsonObject().put("text", "x"));
      MultiMap alice = RawMcp.statelessHeaders("tools/call", "cap_echo").add("X-Tenant-Id", "alice");
      MultiMap bob = RawMcp.statelessHeaders("tools/call", "cap_echo").add("X-Tenant-Id", "bob");
      assertThat(mcp.post(alice, RawMcp.statelessRequest(1, "tools/call", echo)).result()).isNotNull();
      RawMcp.Reply refused = mcp.post(bob, RawMcp.statelessRequest(2, "tools/call", echo));
      assertThat(refused.error().getInteger("code")).isEqualTo(-32603);
      assertThat(refused.error().getJsonObject("data").getString("upstream")).isEqualTo("cap");
      assertThat(refused.error().getString("message")).contains("process limit reached");
      assertThat(admin.upstream("cap").getInteger("processes")).isEqualTo(1);
      assertThat(admin.metrics()).contains("junction_upstream_processes{upstream=\"cap\"} 1.0");
    }
  }

  @Test
  void shutdownKillsTheProcessesAndTheirChildren(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("child.pid");
    JsonObject upstream = new JsonObject().put("transport", "stdio")
        .put("command", shell("sleep 300 & echo $! > '" + pidFile + "'", "parent"));
    long child;
    ProcessHandle server;
    try (Gateway gateway = Gateway.start(new JsonObject().put("p", upstream));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      assertThat(mcp.stateless(1, "tools/call", call("p_echo", new JsonObject().put("text", "x"))).result()).isNotNull();
      child = Long.parseLong(Files.readString(pidFile).trim());
      assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).contains(true);
      server = server("parent").orElseThrow();
    }
    Await.until(() -> !server.isAlive() && ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true), 10,
        "the server and its child to be gone");
  }

  @Test
  void aSlowCallDoesNotHoldUpAFastOneOnTheSameProcess() throws Exception {
    try (Gateway gateway = Gateway.start(new JsonObject().put("sdk", Gateway.stdio("hol").put("sharing", "tenant")),
             new JsonObject().put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      assertThat(mcp.stateless(1, "tools/call", call("sdk_echo", new JsonObject().put("text", "warm"))).result()).isNotNull();
      CompletableFuture<RawMcp.Reply> slow = CompletableFuture.supplyAsync(
          () -> mcp.stateless(2, "tools/call", call("sdk_slow", new JsonObject().put("ms", 3_000))));
      awaitInFlight(admin, "sdk");
      long start = System.nanoTime();
      RawMcp.Reply fast = mcp.stateless(3, "tools/call", call("sdk_echo", new JsonObject().put("text", "fast")));
      long fastMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(fast.result()).isNotNull();
      assertThat(slow).as("the slow call is still running when the fast one is answered").isNotDone();
      assertThat(fastMs).isLessThan(1_000);
      assertThat(admin.upstream("sdk").getInteger("processes")).as("both calls shared one process").isEqualTo(1);
      assertThat(slow.get(10, TimeUnit.SECONDS).result()).isNotNull();
    }
  }
}
