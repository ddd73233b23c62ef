package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.JavaSdkModern;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkClients;
import dev.junction.testkit.SdkHttpServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The MCP Java SDK 2.2.0's 2026-07-28 API ({@code io.modelcontextprotocol.modern}) as the third peer,
 * beside the TypeScript SDKs, on both sides of the gateway ({@link JavaSdkModern}: a child JVM with
 * the SDK 2.2.0 alone on its classpath). Its stdio server is reached by a 2026-07-28 client and, bridged,
 * by session-based 2025-11-25 clients (the Java SDK 2.1.0 one answers its input-required result as
 * an elicitation request); its client goes through the gateway to that server and to a 2025 upstream
 * (the Java SDK 2.1.0 server), answering the upstream's elicitation through input-required rounds, or,
 * declaring no elicitation, getting MissingRequiredClientCapability as its typed exception.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JavaSdkModernIT {
  private static SdkHttpServer legacy;
  private static Gateway gateway;

  @BeforeAll
  static void start() {
    JavaSdkModern.prepare();
    legacy = SdkHttpServer.start("sdk");
    gateway = Gateway.start(new JsonObject()
        .put("jmodern", new JsonObject().put("transport", "stdio")
            .put("command", new JsonArray(JavaSdkModern.serverCommand())))
        .put("sdk", Gateway.http(legacy.url())));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (legacy != null) {
      legacy.close();
    }
  }

  @Test
  void aModernAndASessionClientReachTheJavaModernServer() {
    try (RawMcp mcp = new RawMcp(gateway.url("/servers/jmodern/mcp"))) {
      RawMcp.Reply discover = mcp.stateless(1, "server/discover", null);
      assertThat(discover.result().getJsonArray("supportedVersions").getList()).contains("2026-07-28");
      RawMcp.Reply call = mcp.stateless(2, "tools/call", new JsonObject().put("name", "echo")
          .put("arguments", new JsonObject().put("text", "stateless")));
      assertThat(call.result().encode()).contains("Echo: stateless");

      String session = mcp.initialize("2025-11-25", new JsonObject());
      RawMcp.Reply bridged = mcp.post(RawMcp.sessionHeaders(session, "2025-11-25"), new JsonObject()
          .put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call").put("params", new JsonObject()
              .put("name", "echo").put("arguments", new JsonObject().put("text", "bridged"))));
      assertThat(bridged.status()).isEqualTo(200);
      assertThat(bridged.last().encode()).contains("Echo: bridged");
    }
  }

  @Test
  void aJavaSessionClientAnswersTheJavaModernServersInputRequest() {
    McpSyncClient client = SdkClients.http(gateway.url("/servers/jmodern/mcp"), SdkClients.options().elicitation());
    try {
      var result = client.callTool(new CallToolRequest("ask-name", Map.of()));
      assertThat(((TextContent) result.content().get(0)).text()).isEqualTo("Hello, " + SdkClients.ELICITED.get("name"));
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void theJavaModernClientReachesTheModernServerThroughTheGateway() {
    JsonObject out = JavaSdkModern.client(gateway.url("/mcp"), "jmodern_echo", "jmodern_ask-name", true);
    assertThat(out.getJsonArray("supportedVersions").getList()).contains("2026-07-28");
    assertThat(out.getJsonArray("tools").getList()).contains("jmodern_echo", "jmodern_ask-name", "sdk_elicit");
    assertThat(out.getString("echo")).isEqualTo("Echo: from Java 2.2.0");
    assertThat(out.getString("elicited")).isEqualTo("Hello, Ada");
    assertThat(out.getInteger("asked")).isEqualTo(1);
  }

  @Test
  void theJavaModernClientAnswersALegacyUpstreamsElicitationThroughRounds() {
    JsonObject out = JavaSdkModern.client(gateway.url("/mcp"), "sdk_echo", "sdk_elicit", true);
    assertThat(out.getString("echo")).isEqualTo("from Java 2.2.0");
    assertThat(out.getString("elicited")).isEqualTo("hello Ada");
    assertThat(out.getInteger("asked")).isEqualTo(1);
  }

  @Test
  void withoutElicitationTheJavaModernClientGetsMissingRequiredClientCapability() {
    JsonObject out = JavaSdkModern.client(gateway.url("/mcp"), "sdk_echo", "sdk_elicit", false);
    assertThat(out.getString("echo")).isEqualTo("from Java 2.2.0");
    assertThat(out.getInteger("missingCode")).as(out.encode()).isEqualTo(-32021);
    assertThat(out.getBoolean("requiredElicitation")).isTrue();
    assertThat(out.getInteger("asked")).isZero();
  }
}
