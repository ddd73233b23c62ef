package dev.junction.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.ClusterNodes;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.NodeSessions;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three gateway processes in one cluster in front of a stub upstream, stopped with SIGTERM: a
 * clustered node drains as a single one does and then leaves cleanly (its sessions get 404 on
 * the others, nothing else fails, calls in flight to it and from it finish), and a rolling
 * restart under steady load fails no stateless call and ends only the replaced node's sessions,
 * each with a clean 404. The load balancer is simulated: requests go only to nodes whose
 * {@code /readyz} was 200 at its last poll, and nothing is retried.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDrainIT {
  private static final long DRAIN_DELAY_MS = 1_500;
  private static final long POLL_MS = 100;
  private static StubMcpServer stub;
  private static ClusterNodes nodes;
  private static NodeSessions mcp;

  @BeforeAll
  static void start() {
    stub = StubMcpServer.start(StubMcpServer.Spec.basic().withTools(List.of("echo", "slow"), 100));
    nodes = ClusterNodes.start(3, """
        auth: {unauthenticated: allow}
        shards: 2
        ingressInstances: 2
        health: {probeInterval: 0s}
        shutdown: {drainDelay: %dms, timeout: 15s}
        upstreams:
          stub: {transport: streamable-http, url: "%s"}
        """.formatted(DRAIN_DELAY_MS, stub.url()), "3s");
    mcp = new NodeSessions(nodes, "/mcp", "x-tenant-id");
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.closeExpectingNoBlockedLoop();
    }
    if (stub != null) {
      stub.close();
    }
  }

  @Test
  @Order(1)
  void aSessionIdNamingAMemberButAShardItDoesNotHaveIsUnknown() {
    String session = mcp.initialize(1, "forger");
    String[] parts = session.split("\\.");
    String forged = parts[0] + ".7." + parts[2];
    for (int i = 0; i < nodes.size(); i++) {
      HttpResponse<String> r = mcp.post(i, forged, "forger", echo(1, "x"));
      assertThat(r.statusCode()).as("node %d: %s", i, r.body()).isEqualTo(404);
      assertThat(r.body()).doesNotContain("-32603");
    }
    assertThat(mcp.send(0, "GET", forged, "forger", null).statusCode()).isEqualTo(404);
    assertThat(mcp.send(2, "DELETE", forged, "forger", null).statusCode()).isEqualTo(404);
    assertThat(mcp.post(0, session, "forger", echo(2, "real")).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void aClusteredNodeDrainsThenLeavesAndOnlyItsSessionsEnd() throws Exception {
    int victim = 2;
    List<String> others = List.of(mcp.initialize(0, "drain"), mcp.initialize(1, "drain"));
    String leaving = mcp.initialize(victim, "drain");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong ok = new AtomicLong();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> leavingAnswers = new ConcurrentLinkedQueue<>();
    try {
      for (int w = 0; w < 2; w++) {
        int worker = w;
        pool.submit(() -> {
          for (int n = 0; running.get(); n++) {
            String session = others.get((worker + n) % 2);
            int ingress = (worker + n / 2) % 2;
            try {
              HttpResponse<String> r = mcp.post(ingress, session, "drain", echo(n, "load"));
              if (r.statusCode() == 200 && !r.body().contains("\"error\"")) {
                ok.incrementAndGet();
              } else {
                failures.add("node " + ingress + ": " + r.statusCode() + " " + r.body());
              }
            } catch (AssertionError e) {
              failures.add("node " + ingress + ": " + e.getMessage());
            }
          }
        });
      }
      // the leaving node's session, through the nodes that stay
      pool.submit(() -> {
        for (int n = 0; running.get(); n++) {
          try {
            HttpResponse<String> r = mcp.post(n % 2, leaving, "drain", echo(n, "leaving"));
            leavingAnswers.add(r.statusCode() + (r.body().contains("\"error\"") && r.statusCode() == 200
                ? " " + r.body() : ""));
          } catch (AssertionError e) {
            leavingAnswers.add(e.getMessage());
          }
        }
      });
      // calls in flight when SIGTERM comes: to the node itself, forwarded to it, and forwarded from it
      List<CompletableFuture<HttpResponse<String>>> slow = List.of(
          mcp.sendAsync(mcp.request(victim, "POST", leaving, "drain", slow(101).encode())),
          mcp.sendAsync(mcp.request(0, "POST", leaving, "drain", slow(102).encode())),
          mcp.sendAsync(mcp.request(victim, "POST", others.get(0), "drain", slow(103).encode())));
      Await.until(() -> ok.get() > 20, 30, "calls to flow");
      Await.until(() -> slowCalls() == 3, 10, "the slow calls to reach the upstream");
      long sigterm = System.nanoTime();
      nodes.terminate(victim);
      Await.until(() -> nodes.readyStatus(victim) == 503, 2, "the leaving node's /readyz to turn 503");
      assertThat((System.nanoTime() - sigterm) / 1_000_000).as("ms until /readyz was 503").isLessThan(1_000);
      for (int i = 0; i < 2; i++) {
        assertThat(nodes.readyStatus(i)).as("/readyz of node %d that stays", i).isEqualTo(200);
      }
      // still serving during the drain delay, its own session and the others'
      assertThat(mcp.post(victim, leaving, "drain", echo(1, "during")).statusCode()).isEqualTo(200);
      assertThat(mcp.post(victim, others.get(1), "drain", echo(2, "during")).statusCode()).isEqualTo(200);
      assertThat(slow).as("the slow calls are still running").noneMatch(CompletableFuture::isDone);
      for (CompletableFuture<HttpResponse<String>> call : slow) {
        HttpResponse<String> done = call.get(20, TimeUnit.SECONDS);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("slow done").doesNotContain("\"error\"");
      }
      assertThat(nodes.awaitExit(victim, 30)).as("exit status").isZero();
      for (int i = 0; i < 2; i++) {
        assertThat(mcp.post(i, leaving, "drain", echo(3, "after")).statusCode()).as("node %d", i).isEqualTo(404);
        int node = i;
        // the cluster manager reports the departure a moment after the process has gone
        Await.until(() -> nodes.members(node) == 2, 10, "node " + i + " to see 2 members");
      }
      long before = ok.get();
      Await.until(() -> ok.get() > before + 20, 30, "calls to go on after the departure");
    } finally {
      running.set(false);
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(failures).as("calls on the other nodes' sessions").isEmpty();
    assertThat(Set.copyOf(leavingAnswers)).as("the leaving node's session: served, then a clean 404")
        .containsExactlyInAnyOrder("200", "404");
    String log = nodes.logOf(victim);
    assertThat(log).contains("leaving the cluster").contains("drained").doesNotContain("still in flight");
    nodes.restart(victim);
  }

  @Test
  @Order(3)
  void aRollingRestartFailsNoStatelessCallAndEndsOnlyTheReplacedNodesSessions() throws Exception {
    Set<Integer> ready = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < nodes.size(); i++) {
      ready.add(i);
    }
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong statelessOk = new AtomicLong();
    AtomicLong sessionOk = new AtomicLong();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<long[]> ended = new ConcurrentLinkedQueue<>(); // {owner, initialized, 404 at}
    List<long[]> restarts = new ArrayList<>(); // {node, SIGTERM at, exited at}
    ExecutorService pool = Executors.newFixedThreadPool(6);
    ScheduledExecutorService balancer = Executors.newSingleThreadScheduledExecutor();
    try {
      // the load balancer: polls readiness, as a Service's endpoints follow the readiness probe
      balancer.scheduleWithFixedDelay(() -> {
        for (int i = 0; i < nodes.size(); i++) {
          if (nodes.readyStatus(i) == 200) {
            ready.add(i);
          } else {
            ready.remove(i);
          }
        }
      }, 0, POLL_MS, TimeUnit.MILLISECONDS);
      for (int w = 0; w < 3; w++) {
        int worker = w;
        pool.submit(() -> {
          for (int n = 0; running.get(); n++) {
            String where = "stateless";
            try {
              int node = pick(ready, worker + n);
              where = "stateless on node " + node;
              HttpResponse<String> r = stateless(node, n);
              if (r.statusCode() == 200 && r.body().contains("xxxx") && !r.body().contains("\"error\"")) {
                statelessOk.incrementAndGet();
              } else {
                failures.add(where + ": " + r.statusCode() + " " + r.body());
              }
            } catch (AssertionError e) {
              failures.add(where + ": " + e.getMessage());
            }
          }
        });
      }
      for (int w = 0; w < 3; w++) {
        int worker = w;
        pool.submit(() -> {
          try {
            sessionClient(worker, ready, running, sessionOk, ended, failures);
          } catch (AssertionError e) {
            failures.add("session client " + worker + ": " + e.getMessage());
          }
        });
      }
      Await.until(() -> statelessOk.get() > 30 && sessionOk.get() > 30, 30, "calls to flow");
      long began = System.nanoTime();
      for (int i = 0; i < nodes.size(); i++) {
        long term = System.nanoTime();
        nodes.terminate(i);
        assertThat(nodes.awaitExit(i, 30)).as("node %d's exit status", i).isZero();
        restarts.add(new long[] {i, term, System.nanoTime()});
        nodes.restart(i);
        int node = i;
        Await.until(() -> ready.contains(node), 30, "the load balancer to send to node " + i + " again");
        long before = statelessOk.get() + sessionOk.get();
        Await.until(() -> statelessOk.get() + sessionOk.get() > before + 30, 30, "calls to go on");
      }
      assertThat((System.nanoTime() - began) / 1_000_000_000).as("seconds the rolling restart took").isLessThan(60);
    } finally {
      running.set(false);
      balancer.shutdownNow();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(failures).as("calls that failed during the rolling restart").isEmpty();
    assertThat(ended).as("sessions ended by the restarts").isNotEmpty();
    for (long[] end : ended) {
      // the owner was being replaced: SIGTERMed before the 404, and the session was made before it exited
      assertThat(restarts).as("a 404 for a session of node %d", end[0])
          .anyMatch(r -> r[0] == end[0] && r[1] <= end[2] && end[1] <= r[2]);
    }
  }

  /**
   * One session-based client under the simulated load balancer: calls its session on the ready
   * nodes in turn; on 404 notes which node owned the session and initializes a new one.
   */
  private static void sessionClient(int worker, Set<Integer> ready, AtomicBoolean running, AtomicLong ok,
      ConcurrentLinkedQueue<long[]> ended, ConcurrentLinkedQueue<String> failures) {
    String tenant = "roll" + worker;
    int owner = pick(ready, worker);
    long initialized = System.nanoTime();
    String session = mcp.initialize(owner, tenant);
    for (int n = 0; running.get(); n++) {
      int node = pick(ready, worker + n);
      HttpResponse<String> r;
      try {
        r = mcp.post(node, session, tenant, echo(n, "roll"));
      } catch (AssertionError e) {
        failures.add("session of node " + owner + " on node " + node + ": " + e.getMessage());
        continue;
      }
      if (r.statusCode() == 200 && !r.body().contains("\"error\"")) {
        ok.incrementAndGet();
      } else if (r.statusCode() == 404) {
        ended.add(new long[] {owner, initialized, System.nanoTime()});
        // a client re-initializes, as MCP asks of it
        owner = pick(ready, worker + n);
        initialized = System.nanoTime();
        session = mcp.initialize(owner, tenant);
      } else {
        failures.add("session of node " + owner + " on node " + node + ": " + r.statusCode() + " " + r.body());
      }
    }
  }

  private static int pick(Set<Integer> ready, int n) {
    List<Integer> nodes = List.copyOf(ready);
    if (nodes.isEmpty()) {
      throw new AssertionError("no node is ready");
    }
    return nodes.stream().sorted().toList().get(Math.floorMod(n, nodes.size()));
  }

  private static long slowCalls() {
    return stub.received().stream().filter(m -> "tools/call".equals(m.getString("method"))
        && "slow".equals(m.getJsonObject("params").getString("name"))).count();
  }

  private static JsonObject echo(int id, String text) {
    return NodeSessions.toolCall(id, "stub_echo", new JsonObject().put("text", text));
  }

  private static JsonObject slow(int id) {
    return NodeSessions.toolCall(id, "stub_slow", new JsonObject().put("ms", 5_000));
  }

  private static HttpResponse<String> stateless(int node, int id) {
    JsonObject params = new JsonObject().put("name", "stub_echo").put("arguments", new JsonObject());
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(nodes.url(node, "/mcp"))).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", "tools/call")
        .header("Mcp-Name", "stub_echo").header("x-tenant-id", "stateless")
        .POST(HttpRequest.BodyPublishers.ofString(RawMcp.statelessRequest(id, "tools/call", params).encode()));
    return mcp.send(b.build(), node);
  }
}
