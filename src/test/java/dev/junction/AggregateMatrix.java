package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testkit.ClosedPort;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkClients;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The aggregate and virtual endpoints over real SDK upstreams (alpha, beta) and one that is down;
 * subclasses choose the transport.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class AggregateMatrix {
  static Gateway gateway;
  private static ClosedPort down;

  static void startGateway(JsonObject alpha, JsonObject beta) {
    down = new ClosedPort();
    gateway = Gateway.start(new JsonObject().put("alpha", alpha).put("beta", beta)
            .put("down", Gateway.http(down.url())),
        new JsonObject().put("virtualServers", new JsonObject().put("pick", new JsonObject()
            .put("upstreams", List.of("alpha", "down"))
            .put("tools", new JsonObject().put("allow", List.of("alpha_echo", "alpha_who*"))))));
  }

  @AfterAll
  static void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
    if (down != null) {
      down.close();
    }
  }

  @Test
  void theAggregateListsEveryoneButTheDownUpstreamAndSaysSo() {
    var logs = new CopyOnWriteArrayList<LoggingMessageNotification>();
    try (McpSyncClient c = SdkClients.http(gateway.url("/mcp"), SdkClients.options().onLogging(logs::add))) {
      List<String> tools = c.listTools().tools().stream().map(Tool::name).toList();
      assertThat(tools).hasSize(22).contains("alpha_echo", "beta_echo").noneMatch(t -> t.startsWith("down_"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (logs.isEmpty() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      assertThat(logs).anySatisfy(l -> assertThat(String.valueOf(l.data())).contains("down"));
      assertThat(c.callTool(new CallToolRequest("beta_whoami", Map.of())).content().get(0))
          .isEqualTo(new TextContent("beta"));
      assertThatThrownBy(() -> c.callTool(new CallToolRequest("down_echo", Map.of("text", "x"))))
          .hasMessageContaining("Upstream unavailable");
    }
  }

  @Test
  void aVirtualServerShowsAndServesOnlyItsSelection() {
    try (McpSyncClient c = SdkClients.http(gateway.url("/v/pick/mcp"), SdkClients.options())) {
      assertThat(c.listTools().tools()).extracting(Tool::name).containsExactly("alpha_echo", "alpha_whoami");
      assertThat(((TextContent) c.callTool(new CallToolRequest("alpha_whoami", Map.of())).content().get(0)).text())
          .isEqualTo("alpha");
      assertThatThrownBy(() -> c.callTool(new CallToolRequest("alpha_add", Map.of("a", 1, "b", 2))))
          .hasMessageContaining("Unknown tool: alpha_add");
      assertThatThrownBy(() -> c.callTool(new CallToolRequest("beta_echo", Map.of("text", "x"))))
          .hasMessageContaining("Unknown tool: beta_echo");
    }
  }

  @Test
  void statelessClientsGetTheSameViews() {
    try (RawMcp all = new RawMcp(gateway.url("/mcp")); RawMcp pick = new RawMcp(gateway.url("/v/pick/mcp"))) {
      RawMcp.Reply list = all.stateless(1, "tools/list", null);
      assertThat(list.result().getJsonArray("tools").size()).isEqualTo(22);
      RawMcp.Reply picked = pick.stateless(2, "tools/list", null);
      assertThat(picked.result().getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name")).toList())
          .containsExactly("alpha_echo", "alpha_whoami");
      RawMcp.Reply hidden = pick.stateless(3, "tools/call", new JsonObject().put("name", "alpha_add"));
      assertThat(hidden.status()).isEqualTo(400);
      assertThat(hidden.error().getInteger("code")).isEqualTo(-32602);
    }
  }
}
