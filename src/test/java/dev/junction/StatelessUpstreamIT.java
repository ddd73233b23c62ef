package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkClients;
import dev.junction.testkit.StubMcpServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An upstream that speaks only the stateless revision 2026-07-28 (the official TypeScript SDK v2,
 * refusing every 2025 request): the gateway finds this out with server/discover and talks to it
 * without sessions, for session-based and stateless clients alike.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatelessUpstreamIT {
  private static Node.HttpServer modern;
  private static Gateway gateway;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    modern = Node.HttpServer.stateless();
    gateway = Gateway.start(new JsonObject().put("modern", Gateway.http(modern.url())),
        new JsonObject().put("admin", new JsonObject().put("token", "t")));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (modern != null) {
      modern.close();
    }
  }

  @Test
  void sessionClientsAreBridgedToTheStatelessUpstream() {
    for (String client : new String[] {"first", "second"}) {
      try (McpSyncClient c = SdkClients.http(gateway.url("/mcp"),
          SdkClients.options().header("X-Tenant-Id", "acme").clientName(client))) {
        assertThat(c.getCurrentInitializationResult().protocolVersion()).isEqualTo("2025-11-25");
        assertThat(c.listTools().tools()).extracting(Tool::name).containsExactly("modern_echo");
        var r = c.callTool(new CallToolRequest("modern_echo", Map.of("message", client)));
        assertThat(((TextContent) r.content().get(0)).text()).isEqualTo("Echo: " + client);
      }
    }
    // the upstream keeps no state, so both clients of the tenant used one pooled connection object
    try (RawMcp admin = new RawMcp(gateway.url("/admin/pool"))) {
      JsonObject view = admin.send(HttpMethod.GET, RawMcp.postHeaders().add("Authorization", "Bearer t"), null).last();
      JsonObject key = view.getJsonArray("keys").stream().map(k -> (JsonObject) k)
          .filter(k -> "tenant".equals(k.getString("sharing"))).findFirst().orElseThrow();
      assertThat(key.getJsonArray("sessions").getJsonObject(0).getString("protocolVersion")).isEqualTo("2026-07-28");
    }
  }

  @Test
  void statelessClientsTalkToItEndToEnd() {
    JsonObject out = Node.run("stateless-client.mjs", gateway.url("/mcp"), "modern_");
    assertThat(out.getString("protocolVersion")).isEqualTo("2026-07-28");
    assertThat(out.getString("echo")).isEqualTo("Echo: hello from stateless");
    try (RawMcp mcp = new RawMcp(gateway.url("/servers/modern/mcp"))) {
      RawMcp.Reply discover = mcp.stateless(1, "server/discover", null);
      assertThat(discover.result().getJsonObject("_meta").getJsonObject("io.modelcontextprotocol/serverInfo")
          .getString("name")).isEqualTo("stateless-peer");
      RawMcp.Reply list = mcp.stateless(2, "tools/list", null);
      assertThat(list.result().getString("cacheScope")).isEqualTo("public"); // the upstream's own caching hint
    }
  }

  @Test
  void sharingStatelessRefusesAnUpstreamThatDoesNotSpeakIt() {
    try (StubMcpServer legacy = StubMcpServer.start();
         Gateway strict = Gateway.start(new JsonObject().put("legacy", Gateway.http(legacy.url()).put("sharing", "stateless")))) {
      try (McpSyncClient c = SdkClients.http(strict.url("/servers/legacy/mcp"), SdkClients.options().initialize(false))) {
        assertThatThrownBy(c::initialize).isNotNull();
      }
      assertThat(legacy.initializeCount()).isZero();
    }
  }
}
