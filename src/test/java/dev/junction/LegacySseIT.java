package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
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
  private static final Map<String, String> SSE_CLIENT = Map.of("INTEROP_TRANSPORT", "sse");
  private static Node.HttpServer everythingSse;
  private static Gateway gateway;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    everythingSse = Node.HttpServer.everythingSse();
    gateway = Gateway.start(new JsonObject()
        .put("legacy", new JsonObject().put("transport", "sse").put("url", everythingSse.url()).put("alias", "old")),
        new JsonObject().put("virtualServers", new JsonObject().put("picked", new JsonObject()
            .put("upstreams", new JsonArray().add("legacy"))
            .put("tools", new JsonObject().put("deny", new JsonArray().add("old_get-env"))))));
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
  void sseClientOnAServerEndpoint() {
    JsonObject out = Node.run(SSE_CLIENT, "interop-client.mjs", gateway.url("/servers/legacy/sse"), "basic");
    assertProbe(out, "");
    assertThat(out.getJsonObject("serverInfo").getString("name")).isEqualTo("mcp-servers/everything");
  }

  @Test
  void sseClientOnTheAggregateEndpoint() {
    JsonObject out = Node.run(SSE_CLIENT, "interop-client.mjs", gateway.url("/sse"), "basic", "old_");
    assertProbe(out, "old_");
    assertThat(out.getJsonObject("serverInfo").getString("name")).isEqualTo("junction");
  }

  @Test
  void sseClientOnAVirtualServerSeesItsFilter() {
    JsonObject out = Node.run(SSE_CLIENT, "interop-client.mjs", gateway.url("/v/picked/sse"), "basic", "old_");
    assertProbe(out, "old_");
    assertThat(out.getJsonArray("tools").getList()).doesNotContain("old_get-env");
  }

  /** The connection is the tenant's: another tenant's POST to it, or one to no connection, is 404. */
  @Test
  void aConnectionBelongsToItsTenant() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI sse = URI.create(gateway.url("/servers/legacy/sse"));
    HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(sse)
        .header("Accept", "text/event-stream").header("x-tenant-id", "alpha").build(),
        HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    Iterator<String> lines = stream.body().iterator();
    assertThat(lines.next()).isEqualTo("event: endpoint");
    String data = lines.next();
    assertThat(data).startsWith("data: /servers/legacy/message?sessionId=");
    URI post = URI.create(gateway.url(data.substring("data: ".length())));
    String ping = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "ping").encode();
    assertThat(postAs(http, post, "beta", ping)).isEqualTo(404);
    assertThat(postAs(http, URI.create(gateway.url("/servers/legacy/message?sessionId=nope")), "alpha", ping))
        .isEqualTo(404);
    // known, but not initialized yet
    assertThat(postAs(http, post, "alpha", ping)).isEqualTo(400);
    String init = new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2024-11-05").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "raw").put("version", "1"))).encode();
    assertThat(postAs(http, post, "alpha", init)).isEqualTo(202);
    String event;
    do {
      event = lines.next();
    } while (!event.startsWith("data: "));
    JsonObject answer = new JsonObject(event.substring("data: ".length()));
    assertThat(answer.getInteger("id")).isEqualTo(2);
    assertThat(answer.getJsonObject("result").getString("protocolVersion")).isEqualTo("2024-11-05");
    stream.body().close();
  }

  private static int postAs(HttpClient http, URI uri, String tenant, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .header("x-tenant-id", tenant).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void streamableClientToAnSseUpstreamOnTheAggregateEndpoint() {
    JsonObject out = Node.run("interop-client.mjs", gateway.url("/mcp"), "basic", "old_");
    assertProbe(out, "old_");
  }
}
