package dev.junction.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.Names;
import dev.junction.testkit.Await;
import dev.junction.testkit.ClusterNodes;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
  private static final String VERSION = "2025-06-18";
  private static final String PATH = "/mcp";
  private static final String OLD_KEY = "old-key-0123456789";
  private static final String NEW_KEY = "new-key-0123456789";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private StubMcpServer alpha;
  private ClusterNodes nodes;

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
    for (int i = 0; i < 2; i++) {
      assertThat(version(i)).as("node %d", i).isEqualTo(1);
      assertThat(nodes.metric(i, "junction_config_version")).as("node %d", i).isEqualTo(1.0);
    }
    // a session owned by node 1, and a call of it in flight through node 0 while node 0 reloads
    String ownedBy1 = initialize(1, OLD_KEY);
    CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(
        request(0, ownedBy1, OLD_KEY, call("alpha_slow", 3_000)), HttpResponse.BodyHandlers.ofString());
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
    assertThat(post(0, ownedBy1, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(200);

    // the new key works on node 0 only: the node a request reaches authenticates it, even for a
    // session that node 1 owns
    assertThat(initializeStatus(0, NEW_KEY)).isEqualTo(200);
    assertThat(initializeStatus(1, NEW_KEY)).isEqualTo(401);
    assertThat(post(0, ownedBy1, NEW_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(200);
    assertThat(post(1, ownedBy1, NEW_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(401);

    // node 1 reloads the same file: both run version 2, and the session lived through it
    nodes.rewrite(1, config(OLD_KEY, NEW_KEY));
    Await.until(() -> version(1) == 2, 20, "node 1 on version 2", nodes::logs);
    assertThat(nodes.metric(1, "junction_config_version")).isEqualTo(2.0);
    String newOn1 = initialize(1, NEW_KEY);
    assertThat(post(1, ownedBy1, NEW_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(200);

    // the old key is removed on node 0 only: node 0 refuses it, and ends the sessions it opened
    // with it, so node 1 (which still admits the key) finds them unknown instead of reaching them
    String ownedBy0 = initialize(0, OLD_KEY);
    String alsoOwnedBy1 = initialize(1, OLD_KEY);
    assertThat(post(1, ownedBy0, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(200);
    nodes.rewrite(0, config(NEW_KEY));
    Await.until(() -> version(0) == 3, 20, "node 0 on version 3", nodes::logs);
    assertThat(post(0, ownedBy0, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(401);
    assertThat(post(1, ownedBy0, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(404);
    assertThat(post(0, ownedBy0, NEW_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(404);
    // node 1's own sessions of the key stay until node 1 reloads
    assertThat(post(1, alsoOwnedBy1, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(200);
    assertThat(post(0, alsoOwnedBy1, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(401);
    nodes.rewrite(1, config(NEW_KEY));
    Await.until(() -> version(1) == 3, 20, "node 1 on version 3", nodes::logs);
    assertThat(post(1, alsoOwnedBy1, OLD_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(401);
    assertThat(post(0, alsoOwnedBy1, NEW_KEY, call("alpha_echo", 0)).statusCode()).isEqualTo(404);
    // every session the old key opened is gone; the one the new key opened lives on, through either node
    for (int i = 0; i < 2; i++) {
      assertThat(post(i, ownedBy1, NEW_KEY, call("alpha_echo", 0)).statusCode()).as("node %d", i).isEqualTo(404);
      assertThat(post(i, newOn1, NEW_KEY, call("alpha_echo", 0)).statusCode()).as("node %d", i).isEqualTo(200);
    }
  }

  /** Node {@code i}'s config version from {@code /readyz}, or -1 while it does not answer. */
  private long version(int i) {
    return nodes.ready(i).getLong("configVersion", -1L);
  }

  private static JsonObject call(String tool, long ms) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call").put("params",
        new JsonObject().put("name", tool).put("arguments", new JsonObject().put("ms", ms).put("text", "x")));
  }

  private static JsonObject initializeRequest() {
    return new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", VERSION).put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "cluster-reload-it").put("version", "1")));
  }

  private int initializeStatus(int node, String key) {
    return post(node, null, key, initializeRequest()).statusCode();
  }

  /** Initializes a session with {@code key} on node {@code node}, which then owns it. */
  private String initialize(int node, String key) {
    HttpResponse<String> r = post(node, null, key, initializeRequest());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String session = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
    assertThat(post(node, session, key, new JsonObject().put("jsonrpc", "2.0")
        .put("method", "notifications/initialized")).statusCode()).isEqualTo(202);
    return session;
  }

  private HttpRequest request(int node, String session, String key, JsonObject body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(nodes.url(node, PATH)))
        .timeout(Duration.ofSeconds(20))
        .header("Accept", "application/json, text/event-stream")
        .header("Content-Type", "application/json")
        .header("x-api-key", key)
        .header("MCP-Protocol-Version", VERSION);
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return b.POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
  }

  private HttpResponse<String> post(int node, String session, String key, JsonObject body) {
    try {
      return HTTP.send(request(node, session, key, body), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("node " + node + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
