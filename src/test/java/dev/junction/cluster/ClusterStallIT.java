package dev.junction.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.ClusterNodes;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node that stops answering without closing its connections (SIGSTOP): the cluster manager
 * removes it only after memberTimeout (10 s here), but a request forwarded to it ends within 5 s,
 * because the forwarding node pings an owner while forwards to it are in flight.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterStallIT {
  private static final String PATH = "/servers/everything/mcp";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void aForwardToAFrozenOwnerEndsWithinFiveSeconds() throws Exception {
    Node.requireInstalled();
    try (Node.HttpServer everything = Node.HttpServer.everything();
        ClusterNodes nodes = ClusterNodes.start(2, """
            auth: {unauthenticated: allow}
            shards: 1
            ingressInstances: 1
            health: {probeInterval: 0s}
            upstreams:
              everything: {transport: streamable-http, url: "%s"}
            """.formatted(everything.url()), "10s")) {
      HttpResponse<String> init = post(nodes, 1, null, """
          {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",
           "capabilities":{},"clientInfo":{"name":"stall-it","version":"1"}}}""");
      assertThat(init.statusCode()).isEqualTo(200);
      String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
      String echo = """
          {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""";
      assertThat(post(nodes, 0, session, echo).body()).contains("Echo: hi");

      nodes.freeze(1, true);
      long start = System.nanoTime();
      HttpResponse<String> cut = post(nodes, 0, session, echo);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms).as("ms until the forward to the frozen node ended").isLessThan(5_000);
      assertThat(cut.statusCode() == 404 || cut.body().contains("-32603")).as(cut.statusCode() + " " + cut.body())
          .isTrue();
      // removed after memberTimeout: its sessions are unknown
      Await.until(() -> post(nodes, 0, session, echo).statusCode() == 404, 20, "the frozen node's session to be 404");
      assertThat(nodes.members(0)).isEqualTo(1);
    }
  }

  private static HttpResponse<String> post(ClusterNodes nodes, int node, String session, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(nodes.url(node, PATH))).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
        .header("MCP-Protocol-Version", "2025-06-18");
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    try {
      return HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
