package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The legacy HTTP+SSE transport (2024-11-05) on both sides of the gateway: server-everything in its
 * {@code sse} mode as an upstream ({@code transport: sse}), and the TypeScript SDK v1's
 * {@code SSEClientTransport} as a client. The full probe: tools, resources, prompts, progress, and
 * sampling and elicitation requests relayed to the client.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LegacySseIT {
  private static Node.HttpServer everythingSse;
  private static Gateway gateway;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    everythingSse = Node.HttpServer.everythingSse();
    gateway = Gateway.start(new JsonObject()
        .put("legacy", new JsonObject().put("transport", "sse").put("url", everythingSse.url()).put("alias", "old")));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (everythingSse != null) {
      everythingSse.close();
    }
  }

  static void assertProbe(JsonObject out, String prefix) {
    assertThat(out.getJsonArray("tools").getList()).contains(prefix + "echo", prefix + "trigger-sampling-request",
        prefix + "trigger-elicitation-request", prefix + "trigger-long-running-operation");
    assertThat(out.getString("echo")).isEqualTo("Echo: hello from interop");
    // the last progress notification may race the result on server-everything's SSE stream, even directly
    assertThat(out.getJsonArray("progress").size()).isBetween(3, 4);
    assertThat(out.getString("progressResult")).contains("Long running operation completed");
    assertThat(out.getInteger("samplingHandlerCalls")).isEqualTo(1);
    assertThat(out.getString("sampling")).contains("sampled-by-interop-client");
    assertThat(out.getInteger("elicitationHandlerCalls")).isEqualTo(1);
    assertThat(out.getString("elicitation")).contains("User provided the requested information");
    assertThat(out.getInteger("resources")).isPositive();
    assertThat(out.getInteger("resourceContents")).isPositive();
    assertThat(out.getJsonArray("prompts").getList()).contains(prefix + "simple-prompt");
    assertThat(out.getInteger("promptMessages")).isPositive();
  }

  @Test
  void streamableClientToAnSseUpstreamOnItsServerEndpoint() {
    JsonObject out = Node.run("interop-client.mjs", gateway.url("/servers/legacy/mcp"), "basic");
    assertProbe(out, "");
    assertThat(out.getJsonObject("serverInfo").getString("name")).isEqualTo("mcp-servers/everything");
  }

  @Test
  void streamableClientToAnSseUpstreamOnTheAggregateEndpoint() {
    JsonObject out = Node.run("interop-client.mjs", gateway.url("/mcp"), "basic", "old_");
    assertProbe(out, "old_");
  }
}
