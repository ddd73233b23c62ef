package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 2026-07-28 (stateless) requests through the gateway to two real SDK upstreams that speak the
 * session-based revisions: the gateway bridges with a pooled upstream session per tenant. Raw HTTP
 * here, so every header and field is visible; the TypeScript v2 client runs in the interop test.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class StatelessMatrix {
  static Gateway gateway;
  static RawMcp mcp;
  static RawMcp beta;

  static void startGateway(JsonObject alpha, JsonObject betaUpstream) {
    gateway = Gateway.start(new JsonObject().put("alpha", alpha).put("beta", betaUpstream));
    mcp = new RawMcp(gateway.url("/mcp"));
    beta = new RawMcp(gateway.url("/servers/beta/mcp"));
  }

  @AfterAll
  static void stopGateway() {
    mcp.close();
    beta.close();
    gateway.close();
  }

  private static JsonObject args(String tool, JsonObject arguments) {
    return new JsonObject().put("name", tool).put("arguments", arguments);
  }

  private static String text(RawMcp.Reply r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.result().getJsonArray("content").getJsonObject(0).getString("text");
  }

  @Test
  void discoverDescribesTheEndpoint() {
    RawMcp.Reply r = mcp.stateless("d1", "server/discover", null);
    assertThat(r.status()).isEqualTo(200);
    JsonObject result = r.result();
    assertThat(result.getJsonArray("supportedVersions").getList()).contains("2026-07-28", "2025-11-25");
    assertThat(result.getJsonObject("capabilities").containsKey("tools")).isTrue();
    assertThat(result.getString("resultType")).isEqualTo("complete");
    assertThat(result.getString("instructions")).contains("[alpha]").contains("[beta]");
    assertThat(result.getJsonObject("_meta").getJsonObject("io.modelcontextprotocol/serverInfo").getString("name"))
        .isEqualTo("junction");
    assertThat(result.containsKey("ttlMs")).isTrue();
    assertThat(r.headers().get("Mcp-Session-Id")).isNull();
    RawMcp.Reply single = beta.stateless("d2", "server/discover", null);
    assertThat(single.result().getJsonObject("_meta").getJsonObject("io.modelcontextprotocol/serverInfo")
        .getString("name")).isEqualTo("beta");
  }

  @Test
  void listsCarryTheFieldsTheRevisionRequires() {
    RawMcp.Reply r = mcp.stateless(1, "tools/list", null);
    JsonObject result = r.result();
    assertThat(result.getString("resultType")).isEqualTo("complete");
    assertThat(result.getString("cacheScope")).isIn("private", "public");
    assertThat(result.getLong("ttlMs")).isNotNull();
    List<String> names = result.getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name")).toList();
    assertThat(names).contains("alpha_echo", "beta_whoami").hasSize(22);
    assertThat(beta.stateless(2, "tools/list", null).result().getJsonArray("tools").size()).isEqualTo(11);
  }

  @Test
  void callsRouteAndIdsComeBackUnchanged() {
    assertThat(text(mcp.stateless(3, "tools/call", args("alpha_whoami", new JsonObject())))).isEqualTo("alpha");
    assertThat(text(mcp.stateless(4, "tools/call", args("beta_whoami", new JsonObject())))).isEqualTo("beta");
    RawMcp.Reply r = mcp.stateless("string-id", "tools/call", args("alpha_echo", new JsonObject().put("text", "x")));
    assertThat(r.last().getValue("id")).isEqualTo("string-id");
    assertThat(text(beta.stateless(5, "tools/call", args("whoami", new JsonObject())))).isEqualTo("beta");
  }

  @Test
  void progressIsStreamedBeforeTheResult() {
    JsonObject params = args("alpha_progress", new JsonObject().put("steps", 2))
        .put("_meta", new JsonObject().put("progressToken", 99));
    RawMcp.Reply r = mcp.stateless(6, "tools/call", params);
    assertThat(r.headers().get("Content-Type")).startsWith("text/event-stream");
    assertThat(r.headers().get("X-Accel-Buffering")).isEqualTo("no");
    assertThat(r.messages()).hasSize(3);
    assertThat(r.messages().get(0).getString("method")).isEqualTo("notifications/progress");
    assertThat(r.messages().get(0).getJsonObject("params").getValue("progressToken")).isEqualTo(99);
    // the gateway keeps the upstream's order: progress 1, progress 2, then the result
    assertThat(r.messages().get(0).getJsonObject("params").getDouble("progress")).isEqualTo(1.0);
    assertThat(r.messages().get(1).getJsonObject("params").getDouble("progress")).isEqualTo(2.0);
    assertThat(r.last().getInteger("id")).isEqualTo(6);
    assertThat(r.result().getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("done");
  }

  @Test
  void promptsResourcesAndCompletionRoute() {
    RawMcp.Reply prompt = mcp.stateless(7, "prompts/get", new JsonObject().put("name", "beta_greet")
        .put("arguments", new JsonObject().put("name", "Ada")));
    assertThat(prompt.result().getJsonArray("messages").getJsonObject(0).getJsonObject("content").getString("text"))
        .contains("Ada").contains("beta");
    mcp.stateless(8, "resources/list", null);
    RawMcp.Reply read = mcp.stateless(9, "resources/read", new JsonObject().put("uri", "test://alpha/hello"));
    assertThat(read.result().getJsonArray("contents").getJsonObject(0).getString("text")).isEqualTo("hello from alpha");
    assertThat(read.result().getString("cacheScope")).isNotNull();
    RawMcp.Reply complete = mcp.stateless(10, "completion/complete", new JsonObject()
        .put("ref", new JsonObject().put("type", "ref/prompt").put("name", "alpha_greet"))
        .put("argument", new JsonObject().put("name", "name").put("value", "al")));
    assertThat(complete.result().getJsonObject("completion").getJsonArray("values").getList()).containsExactly("alice", "alan");
  }

  @Test
  void methodsTheRevisionRemovedAreNotFound() {
    RawMcp.Reply ping = mcp.stateless(11, "ping", null);
    assertThat(ping.status()).isEqualTo(404);
    assertThat(ping.error().getInteger("code")).isEqualTo(-32601);
    RawMcp.Reply init = mcp.stateless(12, "initialize", null);
    assertThat(init.status()).isEqualTo(404);
  }
}
