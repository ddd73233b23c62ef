package dev.junction.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.ClusterNodes;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.NodeSessions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three gateway processes on loopback in one cluster (static members, memberTimeout 3s) in front
 * of server-everything: a session works whichever node each request reaches, tenants stay apart
 * across nodes, and a node killed with SIGKILL takes only its own sessions with it. The kill runs
 * last.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final long MEMBER_TIMEOUT_MS = 3_000;
  private static final String PATH = "/servers/everything/mcp";
  private static Node.HttpServer everything;
  private static ClusterNodes nodes;
  private static NodeSessions mcp;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    everything = Node.HttpServer.everything();
    nodes = ClusterNodes.start(3, """
        auth: {unauthenticated: allow}
        shards: 2
        ingressInstances: 2
        health: {probeInterval: 0s}
        upstreams:
          everything: {transport: streamable-http, url: "%s"}
        """.formatted(everything.url()), MEMBER_TIMEOUT_MS / 1_000 + "s");
    mcp = new NodeSessions(nodes, PATH, "x-tenant-id");
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.closeExpectingNoBlockedLoop();
    }
    if (everything != null) {
      everything.close();
    }
  }

  @Test
  @Order(1)
  void anSdkClientWhoseRequestsRotateOverTheNodesCompletesAFullSession() {
    String urls = IntStream.range(0, nodes.size()).mapToObj(i -> nodes.url(i, PATH)).collect(Collectors.joining(","));
    JsonObject out = Node.run("cluster-client.mjs", urls);
    assertThat(out.getJsonArray("echoes").getList()).containsExactly(
        "Echo: hello 0", "Echo: hello 1", "Echo: hello 2", "Echo: hello 3", "Echo: hello 4", "Echo: hello 5");
    assertThat(out.getInteger("resources")).isPositive();
    assertThat(out.getInteger("prompts")).isPositive();
    assertThat(out.getJsonArray("progress").getList()).containsExactly(1, 2, 3);
    assertThat(out.getString("progressResult")).contains("Long running operation completed");
    assertThat(out.getString("sampling")).contains("sampled-by-cluster-client");
    assertThat(out.getString("elicitation")).contains("User provided the requested information");
    assertThat(out.getString("roots")).contains("cluster-root");
    assertThat(out.getString("updatedUri")).isEqualTo(out.getString("subscribedUri"));
    assertThat(out.getString("cancelled")).isNotEqualTo("not cancelled");
    assertThat(out.getString("afterCancel")).isEqualTo("Echo: after cancel");
    JsonObject calls = out.getJsonObject("handlerCalls");
    assertThat(calls.getInteger("sampling")).isEqualTo(1);
    assertThat(calls.getInteger("elicitation")).isEqualTo(1);
    assertThat(calls.getInteger("roots")).isPositive();
    // every node took POSTs of the session, so most of them were forwarded to its owner
    for (int i = 0; i < nodes.size(); i++) {
      assertThat(out.getJsonArray("byNode").getJsonObject(i).getInteger("POST", 0)).as("POSTs to node %d", i)
          .isGreaterThan(3);
    }
    assertThat(IntStream.range(0, nodes.size())
        .mapToDouble(i -> nodes.metric(i, "junction_cluster_forwarded_total")).sum()).isGreaterThan(10);
    // DELETE ended it on every node
    String session = out.getString("sessionId");
    for (int i = 0; i < nodes.size(); i++) {
      assertThat(mcp.post(i, session, "t", echo(7, "gone")).statusCode()).as("node %d", i).isEqualTo(404);
    }
  }

  @Test
  @Order(2)
  void aSessionIdOfAnotherTenantIsUnknownOnEveryNode() {
    String session = mcp.initialize(0, "alpha");
    for (int i = 0; i < nodes.size(); i++) {
      assertThat(mcp.post(i, session, "beta", echo(1, "x")).statusCode()).as("beta on node %d", i).isEqualTo(404);
      HttpResponse<String> own = mcp.post(i, session, "alpha", echo(2, "mine"));
      assertThat(own.statusCode()).as("alpha on node %d", i).isEqualTo(200);
      assertThat(own.body()).contains("Echo: mine");
    }
    assertThat(mcp.send(1, "DELETE", session, "beta", null).statusCode()).isEqualTo(404);
    assertThat(mcp.send(2, "GET", session, "beta", null).statusCode()).isEqualTo(404);
    assertThat(mcp.send(2, "DELETE", session, "alpha", null).statusCode()).isEqualTo(200);
    assertThat(mcp.post(1, session, "alpha", echo(3, "after")).statusCode()).isEqualTo(404);
    // a made-up session id naming no member is unknown too
    assertThat(mcp.post(1, "AAAAAAAAAAAAAAAAAAAAAA.0.AAAAAAAAAAAAAAAAAAAAAAAA", "alpha", echo(4, "x")).statusCode())
        .isEqualTo(404);
  }

  @Test
  @Order(3)
  void aKilledNodeTakesOnlyItsOwnSessionsAndNoRequestHangs() throws Exception {
    int victim = 2;
    List<String> survivors = List.of(mcp.initialize(0, "load"), mcp.initialize(1, "load"));
    String lost = mcp.initialize(victim, "load");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong ok = new AtomicLong();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<long[]> lostCalls = new ConcurrentLinkedQueue<>(); // {start, end, status, code}
    try {
      for (int w = 0; w < 4; w++) {
        int worker = w;
        pool.submit(() -> {
          for (int n = 0; running.get(); n++) {
            String session = survivors.get((worker + n) % 2);
            int ingress = (worker + n / 2) % 2; // the surviving nodes, owner or not
            try {
              HttpResponse<String> r = mcp.post(ingress, session, "load", echo(n, "load"));
              if (r.statusCode() == 200 && r.body().contains("Echo: load")) {
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
      for (int w = 0; w < 2; w++) {
        int ingress = w;
        pool.submit(() -> {
          for (int n = 0; running.get(); n++) {
            long begin = System.nanoTime();
            try {
              HttpResponse<String> r = mcp.post(ingress, lost, "load", echo(n, "lost"));
              lostCalls.add(new long[] {begin, System.nanoTime(), r.statusCode(), r.body().contains("-32603") ? 1 : 0});
            } catch (AssertionError e) {
              lostCalls.add(new long[] {begin, System.nanoTime(), -1, 0});
            }
          }
        });
      }
      // a long call in flight to the victim when it dies
      CompletableFuture<HttpResponse<String>> inFlight = mcp.sendAsync(mcp.request(0, "POST", lost, "load",
          NodeSessions.toolCall(99, "trigger-long-running-operation",
              new JsonObject().put("duration", 60).put("steps", 2)).encode()));
      Await.until(() -> ok.get() > 50, 60, "calls to flow");
      long killed = System.nanoTime();
      nodes.kill(victim);
      // the lost node's sessions are unknown on both survivors within memberTimeout + 5 s
      Await.until(() -> mcp.post(0, lost, "load", echo(1, "x")).statusCode() == 404
          && mcp.post(1, lost, "load", echo(2, "x")).statusCode() == 404, 30, "the lost session to be unknown");
      long unknownMs = (System.nanoTime() - killed) / 1_000_000;
      assertThat(unknownMs).as("ms until the lost session was 404").isLessThan(MEMBER_TIMEOUT_MS + 5_000);
      HttpResponse<String> cut = inFlight.get(30, TimeUnit.SECONDS);
      long cutMs = (System.nanoTime() - killed) / 1_000_000;
      assertThat(cutMs).as("ms until the call in flight ended").isLessThan(5_000);
      assertThat(cut.statusCode() == 404 || cut.body().contains("-32603")).as(cut.statusCode() + " " + cut.body())
          .isTrue();
      long before = ok.get();
      Await.until(() -> ok.get() > before + 50, 60, "calls to go on after the kill");
    } finally {
      running.set(false);
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(failures).as("calls on the surviving nodes' sessions").isEmpty();
    for (long[] call : lostCalls) {
      long ms = (call[1] - call[0]) / 1_000_000;
      assertThat(ms).as("a call to the lost session took %d ms (status %d)", ms, call[2]).isLessThan(6_000);
      assertThat(call[2] == 200 || call[2] == 404 || call[3] == 1).as("status %d", call[2]).isTrue();
    }
    for (int i = 0; i < 2; i++) {
      assertThat(nodes.members(i)).isEqualTo(2);
      assertThat(nodes.metric(i, "junction_cluster_members")).isEqualTo(2);
    }
  }

  private static JsonObject echo(int id, String message) {
    return NodeSessions.toolCall(id, "echo", new JsonObject().put("message", message));
  }
}
