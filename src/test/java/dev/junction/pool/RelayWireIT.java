package dev.junction.pool;

import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the gateway does to messages on the way through, seen at a stub upstream. */
@ExtendWith(LogWatch.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayWireIT {
  private static final String V = "2025-11-25";
  private StubMcpServer stub;
  private Gateway gateway;
  private RawMcp mcp;

  @BeforeEach
  void start() {
    stub = StubMcpServer.start();
    gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())));
    mcp = new RawMcp(gateway.url("/mcp"));
  }

  @AfterEach
  void stop() {
    mcp.close();
    gateway.close();
    stub.close();
  }

  private static JsonObject call(Object id, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call").put("params", params);
  }

  private List<JsonObject> callsAtStub() {
    return stub.received().stream().filter(m -> "tools/call".equals(m.getString("method"))).toList();
  }

  @Test
  void idsKeepTheirJsonTypeAndAreRewrittenUpstream() {
    String session = mcp.initialize(V, new JsonObject());
    RawMcp.Reply s = mcp.post(sessionHeaders(session, V), call("7", new JsonObject().put("name", "stub_echo")));
    RawMcp.Reply n = mcp.post(sessionHeaders(session, V), call(7, new JsonObject().put("name", "stub_echo")));
    assertThat(s.last().getValue("id")).isEqualTo("7");
    assertThat(n.last().getValue("id")).isEqualTo(7);
    List<JsonObject> upstream = callsAtStub();
    assertThat(upstream).hasSize(2);
    // the upstream sees ids unique on its session, not the client's
    assertThat(upstream.get(0).getValue("id")).isNotEqualTo(upstream.get(1).getValue("id"));
    assertThat(upstream.get(0).getValue("id")).isInstanceOf(Number.class);
  }

  @Test
  void unknownFieldsPassThroughBothWays() {
    String session = mcp.initialize(V, new JsonObject());
    JsonObject params = new JsonObject().put("name", "stub_echo")
        .put("arguments", new JsonObject().put("size", 3))
        .put("x-from-the-future", new JsonObject().put("nested", List.of(1, 2)))
        .put("_meta", new JsonObject().put("progressToken", "client-token").put("vendor/key", "v"));
    RawMcp.Reply r = mcp.post(sessionHeaders(session, V), call(1, params));
    JsonObject result = r.result();
    assertThat(result.getString("x-future")).isEqualTo("yes");
    JsonObject seen = result.getJsonObject("receivedParams");
    assertThat(seen.getString("name")).isEqualTo("echo");
    assertThat(seen.getJsonObject("x-from-the-future").getJsonArray("nested").getList()).containsExactly(1, 2);
    assertThat(seen.getJsonObject("_meta").getString("vendor/key")).isEqualTo("v");
    // progress tokens are rewritten per upstream session
    assertThat(seen.getJsonObject("_meta").getValue("progressToken")).isNotEqualTo("client-token");
    RawMcp.Reply list = mcp.post(sessionHeaders(session, V), new JsonObject().put("jsonrpc", "2.0").put("id", 2)
        .put("method", "tools/list"));
    JsonObject tool = list.result().getJsonArray("tools").getJsonObject(0);
    assertThat(tool.getString("name")).isEqualTo("stub_echo");
    assertThat(tool.getJsonObject("x-future-field").getBoolean("kept")).isTrue();
  }

  @Test
  void anExpiredUpstreamSessionIsReinitializedAndTheDownstreamSessionLives() {
    String session = mcp.initialize(V, new JsonObject());
    assertThat(mcp.post(sessionHeaders(session, V), call(1, new JsonObject().put("name", "stub_echo"))).result()).isNotNull();
    assertThat(stub.initializeCount()).isEqualTo(1);
    stub.expireSessions();
    RawMcp.Reply failed = mcp.post(sessionHeaders(session, V), call(2, new JsonObject().put("name", "stub_echo")));
    // the call that met the expiry is not retried here (resilience issue: only for idempotent tools)
    assertThat(failed.error().getInteger("code")).isEqualTo(-32603);
    assertThat(failed.error().getJsonObject("data").getString("upstream")).isEqualTo("stub");
    RawMcp.Reply next = mcp.post(sessionHeaders(session, V), call(3, new JsonObject().put("name", "stub_echo")));
    assertThat(next.result()).isNotNull();
    assertThat(next.last().getInteger("id")).isEqualTo(3);
    assertThat(stub.initializeCount()).isEqualTo(2);
  }

  @Test
  void deleteEndsTheSessionUpstreamToo() {
    String session = mcp.initialize(V, new JsonObject());
    RawMcp.Reply d = mcp.send(HttpMethod.DELETE, sessionHeaders(session, V), null);
    assertThat(d.status()).isEqualTo(200);
    assertThat(stub.deleted()).containsExactly("stub-1");
    RawMcp.Reply after = mcp.post(sessionHeaders(session, V), call(1, new JsonObject().put("name", "stub_echo")));
    assertThat(after.status()).isEqualTo(404);
  }

  @Test
  void aDeleteWhoseConnectionClosesBeforeAnAnswerIsSentOnceMore() {
    String session = mcp.initialize(V, new JsonObject());
    stub.dropNextDelete();
    RawMcp.Reply d = mcp.send(HttpMethod.DELETE, sessionHeaders(session, V), null);
    assertThat(d.status()).isEqualTo(200);
    // DELETE is idempotent (RFC 9110 9.2.2): without the retry the upstream session is never ended
    Await.until(() -> stub.liveSessions() == 0, 10, "the upstream session to be ended");
    assertThat(stub.deleted()).containsExactly("stub-1");
  }

  @Test
  void shutdownEndsEveryUpstreamSessionWithDelete() {
    mcp.initialize(V, new JsonObject());
    mcp.stateless(1, "tools/call", new JsonObject().put("name", "stub_echo"));
    assertThat(stub.liveSessions()).isEqualTo(2);
    gateway.close();
    assertThat(stub.liveSessions()).isZero();
    assertThat(stub.deleted()).containsExactlyInAnyOrder("stub-1", "stub-2");
    gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url()))); // for @AfterEach
  }

  @Test
  void aSessionIsInvisibleToAnotherTenant() {
    RawMcp.Reply init = mcp.post(RawMcp.postHeaders().add("X-Tenant-Id", "alice"), new JsonObject()
        .put("jsonrpc", "2.0").put("id", 0).put("method", "initialize").put("params", new JsonObject()
            .put("protocolVersion", V).put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "a").put("version", "1"))));
    String session = init.headers().get("Mcp-Session-Id");
    RawMcp.Reply alice = mcp.post(sessionHeaders(session, V).add("X-Tenant-Id", "alice"),
        call(1, new JsonObject().put("name", "stub_echo")));
    assertThat(alice.status()).isEqualTo(200);
    RawMcp.Reply mallory = mcp.post(sessionHeaders(session, V).add("X-Tenant-Id", "mallory"),
        call(1, new JsonObject().put("name", "stub_echo")));
    assertThat(mallory.status()).isEqualTo(404);
    RawMcp.Reply delete = mcp.send(HttpMethod.DELETE, sessionHeaders(session, V).add("X-Tenant-Id", "mallory"), null);
    assertThat(delete.status()).isEqualTo(404);
  }

  @Test
  void statelessTenantsGetSeparateUpstreamSessions() {
    RawMcp.Reply a = mcp.post(RawMcp.statelessHeaders("tools/call", "stub_echo").add("X-Tenant-Id", "a"),
        RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", "stub_echo")));
    RawMcp.Reply a2 = mcp.post(RawMcp.statelessHeaders("tools/call", "stub_echo").add("X-Tenant-Id", "a"),
        RawMcp.statelessRequest(2, "tools/call", new JsonObject().put("name", "stub_echo")));
    RawMcp.Reply b = mcp.post(RawMcp.statelessHeaders("tools/call", "stub_echo").add("X-Tenant-Id", "b"),
        RawMcp.statelessRequest(3, "tools/call", new JsonObject().put("name", "stub_echo")));
    assertThat(List.of(a.status(), a2.status(), b.status())).containsOnly(200);
    assertThat(a.result().getString("resultType")).isEqualTo("complete");
    // one pooled session for tenant a (two calls), one for tenant b
    assertThat(stub.initializeCount()).isEqualTo(2);
    assertThat(a.headers().get("Mcp-Session-Id")).isNull();
  }
}
