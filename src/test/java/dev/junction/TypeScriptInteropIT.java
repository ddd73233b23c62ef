package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official TypeScript SDK clients through the gateway to the reference server-everything, over
 * stdio and over Streamable HTTP: tools, progress, and sampling and elicitation requests relayed
 * back to the client.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TypeScriptInteropIT {
  private static Node.HttpServer everythingHttp;
  private static Gateway gateway;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    everythingHttp = Node.HttpServer.everything();
    gateway = Gateway.start(new JsonObject()
        .put("everything", new JsonObject().put("transport", "stdio").put("command", new JsonArray(Node.everythingStdio())))
        .put("remote", Gateway.http(everythingHttp.url()).put("alias", "ev")));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (everythingHttp != null) {
      everythingHttp.close();
    }
  }

  private static void assertBasic(JsonObject out, String prefix) {
    assertThat(out.getJsonArray("tools").getList()).contains(prefix + "echo", prefix + "trigger-sampling-request",
        prefix + "trigger-elicitation-request", prefix + "trigger-long-running-operation");
    assertThat(out.getString("echo")).isEqualTo("Echo: hello from interop");
    JsonArray progress = out.getJsonArray("progress");
    assertThat(progress.size()).isEqualTo(4);
    assertThat(progress.getJsonObject(3).getInteger("progress")).isEqualTo(4);
    assertThat(out.getString("progressResult")).contains("Long running operation completed");
    assertThat(out.getInteger("samplingHandlerCalls")).isEqualTo(1);
    assertThat(out.getString("sampling")).contains("sampled-by-interop-client");
    assertThat(out.getInteger("elicitationHandlerCalls")).isEqualTo(1);
    assertThat(out.getString("elicitation")).contains("User provided the requested information");
  }

  @Test
  void sdkClientOnTheAggregateEndpointToEverythingOverStdio() {
    JsonObject out = Node.run("interop-client.mjs", gateway.url("/mcp"), "basic", "everything_");
    assertBasic(out, "everything_");
    assertThat(out.getJsonObject("serverInfo").getString("name")).isEqualTo("junction");
    // both upstreams are merged on the aggregate endpoint
    assertThat(out.getJsonArray("tools").getList()).contains("ev_echo");
  }

  @Test
  void sdkClientOnAServerEndpointToEverythingOverHttp() {
    JsonObject out = Node.run("interop-client.mjs", gateway.url("/servers/remote/mcp"), "basic");
    assertBasic(out, "");
    assertThat(out.getJsonObject("serverInfo").getString("name")).isEqualTo("mcp-servers/everything");
  }

  @Test
  void statelessV2ClientIsBridgedToASessionBasedUpstream() {
    JsonObject out = Node.run("stateless-client.mjs", gateway.url("/mcp"), "everything_");
    assertThat(out.getString("protocolVersion")).isEqualTo("2026-07-28");
    assertThat(out.getValue("sessionId")).isNull();
    assertThat(out.getString("echo")).isEqualTo("Echo: hello from stateless");
    assertThat(out.getJsonArray("tools").getList()).contains("everything_echo", "ev_echo");
  }
}
