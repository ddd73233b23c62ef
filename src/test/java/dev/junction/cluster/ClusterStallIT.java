package dev.junction.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.ClusterNodes;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.NodeSessions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
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
      NodeSessions mcp = new NodeSessions(nodes, PATH, null);
      HttpResponse<String> init = mcp.post(1, null, null, NodeSessions.initializeRequest());
      assertThat(init.statusCode()).isEqualTo(200);
      String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
      JsonObject echo = NodeSessions.toolCall(1, "echo", new JsonObject().put("message", "hi"));
      assertThat(mcp.post(0, session, null, echo).body()).contains("Echo: hi");

      nodes.freeze(1, true);
      long start = System.nanoTime();
      HttpResponse<String> cut = mcp.post(0, session, null, echo);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms).as("ms until the forward to the frozen node ended").isLessThan(5_000);
      assertThat(cut.statusCode() == 404 || cut.body().contains("-32603")).as(cut.statusCode() + " " + cut.body())
          .isTrue();
      // removed after memberTimeout: its sessions are unknown
      Await.until(() -> mcp.post(0, session, null, echo).statusCode() == 404, 20,
          "the frozen node's session to be 404");
      assertThat(nodes.members(0)).isEqualTo(1);
    }
  }
}
