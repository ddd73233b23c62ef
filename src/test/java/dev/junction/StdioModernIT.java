package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.RawMcp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 2026-07-28 over a stdio upstream: a TypeScript SDK v2 server that refuses the initialize handshake
 * ({@code serveStdio} with {@code legacy: 'reject'}). The gateway must discover it with
 * {@code server/discover} and send every request with the client data in {@code _meta}, for a
 * 2026-07-28 client (passed through) and for a session-based one (bridged), as over HTTP.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StdioModernIT {
  private static Gateway gateway;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    gateway = Gateway.start(new JsonObject().put("modern", new JsonObject().put("transport", "stdio")
        .put("command", new JsonArray(List.of("node", Node.DIR.resolve("stateless-stdio-server.mjs").toString())))));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aStatelessClientIsServedOverStdio() {
    try (RawMcp mcp = new RawMcp(gateway.url("/servers/modern/mcp"))) {
      RawMcp.Reply discover = mcp.stateless(1, "server/discover", null);
      assertThat(discover.status()).isEqualTo(200);
      assertThat(discover.result().getJsonArray("supportedVersions").getList()).contains("2026-07-28");
      RawMcp.Reply list = mcp.stateless(2, "tools/list", null);
      assertThat(list.result().getJsonArray("tools").getJsonObject(0).getString("name")).isEqualTo("echo");
      // the upstream's own hints come through on a single server's list
      assertThat(list.result().getString("cacheScope")).isEqualTo("public");
      RawMcp.Reply call = mcp.stateless(3, "tools/call", new JsonObject().put("name", "echo")
          .put("arguments", new JsonObject().put("message", "over stdio")));
      assertThat(call.result().encode()).contains("Echo: over stdio");
    }
  }

  @Test
  void sdkV2AndSessionClientsReachTheModernStdioServer() {
    JsonObject out = Node.run("stateless-client.mjs", gateway.url("/mcp"), "modern_");
    assertThat(out.getString("echo")).isEqualTo("Echo: hello from stateless");
    try (RawMcp mcp = new RawMcp(gateway.url("/servers/modern/mcp"))) {
      String session = mcp.initialize("2025-11-25", new JsonObject());
      RawMcp.Reply call = mcp.post(RawMcp.sessionHeaders(session, "2025-11-25"), new JsonObject()
          .put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call").put("params", new JsonObject()
              .put("name", "echo").put("arguments", new JsonObject().put("message", "bridged"))));
      assertThat(call.status()).isEqualTo(200);
      assertThat(call.last().encode()).contains("Echo: bridged");
    }
  }
}
