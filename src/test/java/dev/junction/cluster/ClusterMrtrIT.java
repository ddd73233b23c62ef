package dev.junction.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.ClusterNodes;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.RawMcp;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Input-required rounds (basic/patterns/mrtr) in a cluster of two gateway processes on loopback in
 * front of server-everything (2025, Streamable HTTP): a 2026-07-28 client's call starts on node 0,
 * which holds the upstream call; the retry that reaches node 1 is forwarded to node 0's shard, which
 * the requestState names, and finishes the call. A forged state through node 1 gets -32602.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterMrtrIT {
  private static final String PATH = "/servers/everything/mcp";
  private static final String TOOL = "trigger-elicitation-request";
  private static final JsonObject CAPS = new JsonObject().put("elicitation", new JsonObject());
  private static Node.HttpServer everything;
  private static ClusterNodes nodes;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    everything = Node.HttpServer.everything();
    nodes = ClusterNodes.start(2, """
        auth: {unauthenticated: allow}
        shards: 2
        ingressInstances: 2
        health: {probeInterval: 0s}
        mrtr: {stateKey: "cluster-mrtr-test-key-0123456789abcdef"}
        upstreams:
          everything: {transport: streamable-http, url: "%s"}
        """.formatted(everything.url()), "3s");
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
  void aRetryThroughAnotherNodeReachesTheRoundAndAForgedStateIsRefused() {
    try (RawMcp first = new RawMcp(nodes.url(0, PATH)); RawMcp second = new RawMcp(nodes.url(1, PATH))) {
      JsonObject asked = first.post(RawMcp.statelessHeaders("tools/call", TOOL), call(1, null, null)).result();
      assertThat(asked.getString("resultType")).isEqualTo("input_required");
      String key = asked.getJsonObject("inputRequests").fieldNames().iterator().next();
      String state = asked.getString("requestState");
      double forwarded = nodes.metric(1, "junction_cluster_forwarded_total");

      String forged = state.substring(0, state.lastIndexOf('|') + 1) + "AAAA";
      RawMcp.Reply refused = second.post(RawMcp.statelessHeaders("tools/call", TOOL), call(2, forged, key));
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.error().getInteger("code")).isEqualTo(-32602);
      assertThat(refused.error().getString("message")).contains("requestState");

      RawMcp.Reply done = second.post(RawMcp.statelessHeaders("tools/call", TOOL), call(3, state, key));
      assertThat(done.status()).as(done.body()).isEqualTo(200);
      assertThat(done.result().getString("resultType")).isEqualTo("complete");
      assertThat(done.result().encode()).contains("Clustered Ada");
      // both retries went to the node that holds the round
      assertThat(nodes.metric(1, "junction_cluster_forwarded_total")).isGreaterThanOrEqualTo(forwarded + 2);

      // the round is over on its node: the spent state is refused through either node
      for (RawMcp via : new RawMcp[] {first, second}) {
        RawMcp.Reply spent = via.post(RawMcp.statelessHeaders("tools/call", TOOL), call(4, state, key));
        assertThat(spent.status()).isEqualTo(400);
        assertThat(spent.error().getInteger("code")).isEqualTo(-32602);
      }
    }
  }

  /** The elicitation tool's call by a client that declares elicitation; a retry when {@code state} is given. */
  private static JsonObject call(int id, String state, String key) {
    JsonObject params = new JsonObject().put("name", TOOL).put("arguments", new JsonObject());
    if (state != null) {
      params.put("requestState", state).put("inputResponses", new JsonObject().put(key, new JsonObject()
          .put("action", "accept").put("content", new JsonObject().put("name", "Clustered Ada"))));
    }
    JsonObject request = RawMcp.statelessRequest(id, "tools/call", params);
    request.getJsonObject("params").getJsonObject("_meta").put("io.modelcontextprotocol/clientCapabilities", CAPS);
    return request;
  }
}
