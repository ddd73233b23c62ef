package dev.junction.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.Names;
import dev.junction.testkit.Await;
import dev.junction.testkit.ClusterNodes;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.NodeSessions;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Config hot reload in a cluster (README, "Changing the config at runtime"): two gateway processes
 * on loopback, each with its own config file. Each node reloads its own file and shows its own
 * version on {@code /readyz} and {@code junction_config_version}; a session owned by one node and
 * reached through the other keeps working across either node's reload. A request is authenticated
 * by the config of the node it reaches; its session runs under the config of its owner, which ends
 * the sessions of a key it removed, so a node that still has the key cannot reach them.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterReloadIT {
  private static final String PATH = "/mcp";
  private static final String OLD_KEY = "old-key-0123456789";
  private static final String NEW_KEY = "new-key-0123456789";
  private StubMcpServer alpha;
  private ClusterNodes nodes;
  private NodeSessions mcp;

  @AfterEach
  void stop() {
    if (nodes != null) {
      nodes.closeExpectingNoBlockedLoop();
    }
    if (alpha != null) {
      alpha.close();
    }
  }

  /** A node's config with these API keys, all of tenant acme. */
  private String config(String... keys) {
    String list = List.of(keys).stream().map(k -> "    - {sha256: \"" + Names.sha256Hex(k) + "\", tenant: acme}")
        .collect(Collectors.joining("\n"));
    return """
        auth:
          apiKeys:
        %s
          tenants: {acme: {}}
        shards: 2
        ingressInstances: 1
        health: {probeInterval: 0s}
        reload: {pollInterval: 200ms, debounce: 200ms}
        upstreams:
          alpha: {transport: streamable-http, url: "%s"}
        """.formatted(list, alpha.url());
  }

  @Test
  void eachNodeReloadsItsOwnFileAndSessionsAcrossNodesKeepWorking() throws Exception {
    alpha = StubMcpServer.start();
    nodes = ClusterNodes.start(2, config(OLD_KEY), "3s");
    mcp = new NodeSessions(nodes, PATH, "x-api-key");
    for (int i = 0; i < 2; i++) {
      assertThat(version(i)).as("node %d", i).isEqualTo(1);
      assertThat(nodes.metric(i, "junction_config_version")).as("node %d", i).isEqualTo(1.0);
    }
    // a session owned by node 1, and a call of it in flight through node 0 while node 0 reloads
    String ownedBy1 = mcp.initialize(1, OLD_KEY);
    CompletableFuture<HttpResponse<String>> inFlight =
        mcp.sendAsync(mcp.request(0, "POST", ownedBy1, OLD_KEY, call("alpha_slow", 3_000).encode()));
    Await.until(() -> alpha.received().stream().anyMatch(m -> "slow".equals(
        m.getJsonObject("params", new JsonObject()).getString("name"))), 20, "the slow call upstream");

    // node 0 gets a new key; node 1 does not yet
    nodes.rewrite(0, config(OLD_KEY, NEW_KEY));
    Await.until(() -> version(0) == 2, 20, "node 0 on version 2", nodes::logs);
    assertThat(nodes.metric(0, "junction_config_version")).isEqualTo(2.0);
    assertThat(version(1)).isEqualTo(1);
    assertThat(nodes.metric(1, "junction_config_version")).isEqualTo(1.0);
    HttpResponse<String> slow = inFlight.get(30, TimeUnit.SECONDS);
    assertThat(slow.statusCode()).as(slow.body()).isEqualTo(200);
    assertThat(slow.body()).contains("slow done");
    assertThat(mcp.post(0, ownedBy1, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(200);

    // the new key works on node 0 only: the node a request reaches authenticates it, even for a
    // session that node 1 owns
    assertThat(initializeStatus(0, NEW_KEY)).isEqualTo(200);
    assertThat(initializeStatus(1, NEW_KEY)).isEqualTo(401);
    assertThat(mcp.post(0, ownedBy1, NEW_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(200);
    assertThat(mcp.post(1, ownedBy1, NEW_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(401);

    // node 1 reloads the same file: both run version 2, and the session lived through it
    nodes.rewrite(1, config(OLD_KEY, NEW_KEY));
    Await.until(() -> version(1) == 2, 20, "node 1 on version 2", nodes::logs);
    assertThat(nodes.metric(1, "junction_config_version")).isEqualTo(2.0);
    String newOn1 = mcp.initialize(1, NEW_KEY);
    assertThat(mcp.post(1, ownedBy1, NEW_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(200);

    // the old key is removed on node 0 only: node 0 refuses it, and ends the sessions it opened
    // with it, so node 1 (which still admits the key) finds them unknown instead of reaching them
    String ownedBy0 = mcp.initialize(0, OLD_KEY);
    String alsoOwnedBy1 = mcp.initialize(1, OLD_KEY);
    assertThat(mcp.post(1, ownedBy0, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(200);
    nodes.rewrite(0, config(NEW_KEY));
    Await.until(() -> version(0) == 3, 20, "node 0 on version 3", nodes::logs);
    assertThat(mcp.post(0, ownedBy0, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(401);
    assertThat(mcp.post(1, ownedBy0, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(404);
    assertThat(mcp.post(0, ownedBy0, NEW_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(404);
    // node 1's own sessions of the key stay until node 1 reloads
    assertThat(mcp.post(1, alsoOwnedBy1, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(200);
    assertThat(mcp.post(0, alsoOwnedBy1, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(401);
    nodes.rewrite(1, config(NEW_KEY));
    Await.until(() -> version(1) == 3, 20, "node 1 on version 3", nodes::logs);
    assertThat(mcp.post(1, alsoOwnedBy1, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(401);
    assertThat(mcp.post(0, alsoOwnedBy1, NEW_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(404);
    // every session the old key opened is gone; the one the new key opened lives on, through either node
    for (int i = 0; i < 2; i++) {
      assertThat(mcp.post(i, ownedBy1, NEW_KEY, call("alpha_echo", 0)).statusCode()).as("node %d", i).isEqualTo(404);
      assertThat(mcp.post(i, newOn1, NEW_KEY, call("alpha_echo", 0)).statusCode()).as("node %d", i).isEqualTo(200);
    }
  }

  /** Node {@code i}'s config version from {@code /readyz}, or -1 while it does not answer. */
  private long version(int i) {
    return nodes.ready(i).getLong("configVersion", -1L);
  }

  private static JsonObject call(String tool, long ms) {
    return NodeSessions.toolCall(1, tool, new JsonObject().put("ms", ms).put("text", "x"));
  }

  private int initializeStatus(int node, String key) {
    return mcp.post(node, null, key, NodeSessions.initializeRequest()).statusCode();
  }
}
