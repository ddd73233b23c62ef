package dev.junction.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.SdkStdioServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A burst of new sessions on a stdio upstream whose processes start slowly: every client gets its
 * session (calls wait for a session being created up to createTimeout, starts are paced), and a
 * start that fails is logged once with its cause.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StdioBurstIT {
  private static final String V = "2025-11-25";

  /** The test kit's SDK server, started only after {@code delay} seconds, as a slow process would be. */
  private static JsonObject slowStdio(String name, String delay) {
    JsonArray command = new JsonArray().add("sh").add("-c").add("sleep " + delay + "; exec \"$@\"").add("sh");
    SdkStdioServer.command(name).forEach(command::add);
    return new JsonObject().put("transport", "stdio").put("command", command);
  }

  private static JsonObject initialize(int id) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", V).put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "burst-" + id).put("version", "1")));
  }

  @Test
  void aBurstOfSessionsOnASlowStdioUpstreamAllSucceed() throws Exception {
    int clients = 6;
    // acquireTimeout alone is shorter than one start: the calls must wait for the starts they caused
    JsonObject pool = new JsonObject().put("acquireTimeout", "1s").put("createTimeout", "20s");
    Vertx vertx = Vertx.vertx();
    WebClient web = WebClient.create(vertx);
    try (Gateway gateway = Gateway.start(new JsonObject().put("slow", slowStdio("slow", "1.5")
        .put("startConcurrency", 2).put("connectTimeout", "20s")), new JsonObject().put("pool", pool))) {
      List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        all.add(web.requestAbs(HttpMethod.POST, gateway.url("/mcp"))
            .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json, text/event-stream")
            .putHeader("x-tenant-id", "tenant-" + i)
            .sendBuffer(initialize(i).toBuffer()));
      }
      Future.join(all).await(90, TimeUnit.SECONDS);
      for (Future<HttpResponse<Buffer>> f : all) {
        HttpResponse<Buffer> r = f.result();
        JsonObject body = r.bodyAsJsonObject();
        assertThat(body.getJsonObject("error")).as(body.encode()).isNull();
        assertThat(r.getHeader("Mcp-Session-Id")).isNotBlank();
        assertThat(body.getJsonObject("result").getJsonObject("capabilities").containsKey("tools")).isTrue();
      }
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aFailingStartIsLoggedOncePerUpstreamWithItsCause() {
    JsonObject broken = new JsonObject().put("transport", "stdio")
        .put("command", new JsonArray().add("sh").add("-c").add("exit 3"));
    Vertx vertx = Vertx.vertx();
    WebClient web = WebClient.create(vertx);
    // several shards, and tenants spread over them: once per upstream, not once per shard
    try (Gateway gateway = Gateway.start(new JsonObject().put("broken", broken),
        new JsonObject().put("shards", 4).put("health", new JsonObject().put("failureThreshold", 100)))) {
      for (int i = 0; i < 8; i++) {
        JsonObject call = new JsonObject().put("jsonrpc", "2.0").put("id", i).put("method", "tools/call")
            .put("params", new JsonObject().put("name", "broken_echo").put("arguments", new JsonObject())
                .put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
                    .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())));
        JsonObject body = web.requestAbs(HttpMethod.POST, gateway.url("/mcp"))
            .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json, text/event-stream")
            .putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", "tools/call")
            .putHeader("Mcp-Name", "broken_echo").putHeader("x-tenant-id", "tenant-" + i)
            .sendBuffer(call.toBuffer()).await().bodyAsJsonObject();
        assertThat(body.getJsonObject("error").getJsonObject("data").getString("upstream")).isEqualTo("broken");
      }
      List<String> warned = LogWatch.lines().stream()
          .filter(l -> l.contains("upstream broken: a session could not be started")).toList();
      assertThat(warned).hasSize(1);
      assertThat(warned.get(0)).as("names its cause").containsPattern("started: \\S+");
    } finally {
      vertx.close().await();
    }
  }
}
