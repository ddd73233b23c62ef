package dev.junction.ingress;

import static dev.junction.testkit.RawMcp.postHeaders;
import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every bad input gets its specified status and JSON-RPC code. */
@ExtendWith(LogWatch.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ErrorCasesIT {
  private static StubMcpServer stub;
  private static Gateway gateway;
  private static RawMcp mcp;
  private static RawMcp other;

  @BeforeAll
  static void start() {
    stub = StubMcpServer.start();
    gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())));
    mcp = new RawMcp(gateway.url("/mcp"));
    other = new RawMcp(gateway.url("/servers/nope/mcp"));
  }

  @AfterAll
  static void stop() {
    mcp.close();
    other.close();
    gateway.close();
    stub.close();
  }

  private static JsonObject request(Object id, String method) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method);
  }

  @Test
  void malformedJsonIsAParseErrorWithNullId() {
    RawMcp.Reply r = mcp.post(postHeaders(), "{\"jsonrpc\": \"2.0\", \"id\": 1, ");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error().getInteger("code")).isEqualTo(-32700);
    assertThat(r.last().containsKey("id")).isTrue();
    assertThat(r.last().getValue("id")).isNull();
  }

  @Test
  void notJsonRpcIsAnInvalidRequest() {
    RawMcp.Reply r = mcp.post(postHeaders(), "{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"ping\"}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error().getInteger("code")).isEqualTo(-32600);
    assertThat(r.last().getInteger("id")).isEqualTo(5);
    RawMcp.Reply batch = mcp.post(postHeaders(), "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
    assertThat(batch.status()).isEqualTo(400);
    assertThat(batch.error().getInteger("code")).isEqualTo(-32600);
  }

  @Test
  void unknownMethodIsMethodNotFound() {
    String session = mcp.initialize("2025-06-18", new JsonObject());
    RawMcp.Reply r = mcp.post(sessionHeaders(session, "2025-06-18"), request(9, "no/such/method"));
    // inside a session the error travels in a 200: a 404 would tell the client its session is gone
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.error().getInteger("code")).isEqualTo(-32601);
    assertThat(r.last().getInteger("id")).isEqualTo(9);
    RawMcp.Reply stateless = mcp.stateless(10, "no/such/method", null);
    assertThat(stateless.status()).isEqualTo(404);
    assertThat(stateless.error().getInteger("code")).isEqualTo(-32601);
  }

  @Test
  void unknownSessionIs404() {
    RawMcp.Reply r = mcp.post(sessionHeaders("0.doesnotexist", "2025-06-18"), request(1, "tools/list"));
    assertThat(r.status()).isEqualTo(404);
    RawMcp.Reply garbage = mcp.post(sessionHeaders("garbage", "2025-06-18"), request(1, "tools/list"));
    assertThat(garbage.status()).isEqualTo(404);
  }

  @Test
  void missingSessionIdIs400() {
    RawMcp.Reply r = mcp.post(postHeaders().add("MCP-Protocol-Version", "2025-06-18"), request(1, "tools/list"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error().getString("message")).contains("Mcp-Session-Id");
  }

  @Test
  void unsupportedProtocolVersionIs400() {
    String session = mcp.initialize("2025-06-18", new JsonObject());
    RawMcp.Reply r = mcp.post(sessionHeaders(session, "1999-01-01"), request(1, "tools/list"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error().getInteger("code")).isEqualTo(-32022);
    assertThat(r.error().getJsonObject("data").getJsonArray("supported").getList()).contains("2025-11-25");
    RawMcp.Reply stateless = mcp.post(RawMcp.statelessHeaders("tools/list", null).set("MCP-Protocol-Version", "2099-01-01"),
        RawMcp.statelessRequest(1, "tools/list", null).put("params", new JsonObject().put("_meta", new JsonObject()
            .put("io.modelcontextprotocol/protocolVersion", "2099-01-01")
            .put("io.modelcontextprotocol/clientCapabilities", new JsonObject()))));
    assertThat(stateless.status()).isEqualTo(400);
    assertThat(stateless.error().getInteger("code")).isEqualTo(-32022);
  }

  @Test
  void initializeNegotiatesDownAnUnknownVersion() {
    RawMcp.Reply r = mcp.post(postHeaders(), request(1, "initialize").put("params", new JsonObject()
        .put("protocolVersion", "1999-01-01").put("capabilities", new JsonObject())
        .put("clientInfo", new JsonObject().put("name", "x").put("version", "1"))));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.result().getString("protocolVersion")).isEqualTo("2025-11-25");
  }

  @Test
  void headerBodyMismatchOnTheStatelessRevisionIs400() {
    RawMcp.Reply r = mcp.post(RawMcp.statelessHeaders("prompts/list", null),
        RawMcp.statelessRequest(1, "tools/list", null));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error().getInteger("code")).isEqualTo(-32020);
    RawMcp.Reply name = mcp.post(RawMcp.statelessHeaders("tools/call", "stub_other"),
        RawMcp.statelessRequest(2, "tools/call", new JsonObject().put("name", "stub_echo")));
    assertThat(name.status()).isEqualTo(400);
    assertThat(name.error().getInteger("code")).isEqualTo(-32020);
  }

  @Test
  void unknownUpstreamIs404() {
    RawMcp.Reply r = other.post(postHeaders(), request(1, "initialize"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.error().getString("message")).contains("nope");
  }

  @Test
  void unknownToolIsInvalidParams() {
    String session = mcp.initialize("2025-11-25", new JsonObject());
    RawMcp.Reply r = mcp.post(sessionHeaders(session, "2025-11-25"), request(3, "tools/call")
        .put("params", new JsonObject().put("name", "nope_echo")));
    assertThat(r.error().getInteger("code")).isEqualTo(-32602);
  }

  @Test
  void badOriginIs403AndLoopbackOriginsPass() {
    RawMcp.Reply r = mcp.post(postHeaders().add("Origin", "https://evil.example"), request(1, "ping"));
    assertThat(r.status()).isEqualTo(403);
    RawMcp.Reply ok = mcp.post(postHeaders().add("Origin", "http://localhost:6274"), request(1, "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "x").put("version", "1"))));
    assertThat(ok.status()).isEqualTo(200);
  }

  @Test
  void wrongMediaTypes() {
    RawMcp.Reply type = mcp.post(postHeaders().set("Content-Type", "text/plain"), request(1, "ping"));
    assertThat(type.status()).isEqualTo(415);
    RawMcp.Reply accept = mcp.post(postHeaders().set("Accept", "text/html"), request(1, "ping"));
    assertThat(accept.status()).isEqualTo(406);
  }

  @Test
  void statelessRevisionHasNoGetOrDelete() {
    RawMcp.Reply get = mcp.send(HttpMethod.GET, postHeaders().add("MCP-Protocol-Version", "2026-07-28"), null);
    assertThat(get.status()).isEqualTo(405);
    RawMcp.Reply delete = mcp.send(HttpMethod.DELETE, postHeaders().add("MCP-Protocol-Version", "2026-07-28"), null);
    assertThat(delete.status()).isEqualTo(405);
  }

  @Test
  void notificationsAndResponsesGet202() {
    String session = mcp.initialize("2025-06-18", new JsonObject());
    RawMcp.Reply n = mcp.post(sessionHeaders(session, "2025-06-18"),
        new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/roots/list_changed"));
    assertThat(n.status()).isEqualTo(202);
    assertThat(n.body()).isEmpty();
    RawMcp.Reply resp = mcp.post(sessionHeaders(session, "2025-06-18"),
        new JsonObject().put("jsonrpc", "2.0").put("id", "junction-99").put("result", new JsonObject()));
    assertThat(resp.status()).isEqualTo(202);
  }

  @Test
  void healthReadinessAndMetrics() {
    RawMcp health = new RawMcp(gateway.url("/healthz"));
    RawMcp ready = new RawMcp(gateway.url("/readyz"));
    RawMcp metrics = new RawMcp(gateway.url("/metrics"));
    try {
      RawMcp.Reply alive = health.send(HttpMethod.GET, postHeaders(), null);
      assertThat(alive.status()).isEqualTo(200);
      // every pool shard (2 in tests) and the health verticle answered from its event loop
      assertThat(alive.last().getInteger("asked")).isEqualTo(3);
      assertThat(alive.last().getInteger("answered")).isEqualTo(3);
      mcp.initialize("2025-06-18", new JsonObject());
      RawMcp.Reply r = ready.send(HttpMethod.GET, postHeaders(), null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.last().getJsonObject("upstreams").getString("stub")).isEqualTo("Healthy");
      String text = metrics.send(HttpMethod.GET, postHeaders().set("Accept", "text/plain"), null).body();
      assertThat(text).contains("junction_requests_total{generation=\"session\",method=\"initialize\"}");
      assertThat(text).contains("jvm_memory_used_bytes");
      // client-chosen method names never become labels
      mcp.post(postHeaders().add("Mcp-Session-Id", "0.x"), request(1, "made/up/method"));
      assertThat(metrics.send(HttpMethod.GET, postHeaders(), null).body()).doesNotContain("made/up/method");
    } finally {
      health.close();
      ready.close();
      metrics.close();
    }
  }
}
