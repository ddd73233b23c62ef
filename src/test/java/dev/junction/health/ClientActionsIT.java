package dev.junction.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Admin;
import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client's own actions are not upstream faults: requests the upstream refuses (HTTP 4xx), and
 * sessions ended or calls cancelled by their client while a call is in flight (a DELETE, a
 * {@code notifications/cancelled}, a 2026-07-28 client closing its request's stream), never open
 * the circuit that every tenant shares.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientActionsIT {
  private static final String VERSION = "2025-11-25";

  private static JsonObject call(Object id, String tool) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool).put("arguments", new JsonObject()));
  }

  private static MultiMap as(MultiMap headers, String tenant) {
    return headers.add("x-tenant-id", tenant);
  }

  @Test
  void refusedRequestsAndEndedSessionsOfOneTenantNeverTripTheCircuitOfAnother() throws Exception {
    // one failure short of the threshold would be too lenient a test: every refused request and
    // every ended session below would open the circuit on the old accounting
    JsonObject health = new JsonObject().put("failureThreshold", 2);
    Vertx vertx = Vertx.vertx();
    WebClient web = WebClient.create(vertx);
    HttpClient http = vertx.createHttpClient();
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("s", Gateway.http(stub.url())),
             new JsonObject().put("health", health).put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      for (int round = 0; round < 3; round++) {
        // tenant a: a refusal with the upstream's own JSON-RPC error is relayed as it is
        RawMcp.Reply invalid = mcp.post(as(RawMcp.statelessHeaders("tools/call", "s_refuse-json"), "a"),
            RawMcp.statelessRequest(2, "tools/call", new JsonObject().put("name", "s_refuse-json")));
        assertThat(invalid.error().getInteger("code")).isEqualTo(-32602);
        assertThat(invalid.error().getString("message")).isEqualTo("Invalid arguments");
        assertThat(invalid.last().getValue("id")).isEqualTo(2);

        // tenant a: requests the upstream refuses without a JSON-RPC answer, as many as the threshold
        for (int i = 0; i < 2; i++) {
          RawMcp.Reply refused = mcp.post(as(RawMcp.statelessHeaders("tools/call", "s_refuse"), "a"),
              RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", "s_refuse")));
          assertThat(refused.error().getInteger("code")).isEqualTo(-32600);
          assertThat(refused.error().getString("message")).contains("HTTP 422");
          assertThat(refused.error().getJsonObject("data").getString("upstream")).isEqualTo("s");
        }
        served(mcp, round);

        // tenant a: sessions ended while their calls hang upstream, as many as the threshold
        for (int i = 0; i < 2; i++) {
          String session = initialize(mcp, "a");
          long before = stub.count("tools/call");
          Future<HttpResponse<Buffer>> hanging = web.requestAbs(HttpMethod.POST, gateway.url("/mcp"))
              .putHeaders(as(RawMcp.sessionHeaders(session, VERSION), "a"))
              .sendBuffer(call(3, "s_hang").toBuffer());
          Await.until(() -> stub.count("tools/call") > before, 10, "the hanging call to reach the upstream");
          RawMcp.Reply deleted = mcp.send(HttpMethod.DELETE, as(RawMcp.sessionHeaders(session, VERSION), "a"), null);
          assertThat(deleted.status()).isEqualTo(200);
          hanging.otherwiseEmpty().await(10, TimeUnit.SECONDS);
        }
        served(mcp, round);

        // tenant a: calls it cancels while they hang upstream, as many as the threshold each way
        String session = initialize(mcp, "a");
        for (int i = 0; i < 2; i++) {
          long before = stub.count("tools/call");
          long cancels = stub.count("notifications/cancelled");
          Future<HttpResponse<Buffer>> hanging = web.requestAbs(HttpMethod.POST, gateway.url("/mcp"))
              .putHeaders(as(RawMcp.sessionHeaders(session, VERSION), "a"))
              .sendBuffer(call(5, "s_hang").toBuffer());
          Await.until(() -> stub.count("tools/call") > before, 10, "the hanging call to reach the upstream");
          RawMcp.Reply cancel = mcp.post(as(RawMcp.sessionHeaders(session, VERSION), "a"), new JsonObject()
              .put("jsonrpc", "2.0").put("method", "notifications/cancelled")
              .put("params", new JsonObject().put("requestId", 5).put("reason", "user")));
          assertThat(cancel.status()).isEqualTo(202);
          Await.until(() -> stub.count("notifications/cancelled") > cancels, 10, "the cancel to reach the upstream");
          hanging.otherwiseEmpty().await(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 2; i++) {
          // 2026-07-28: closing the request's stream is the cancellation
          long before = stub.count("tools/call");
          long cancels = stub.count("notifications/cancelled");
          HttpClientRequest request = http.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setAbsoluteURI(gateway.url("/mcp")).setHeaders(as(RawMcp.statelessHeaders("tools/call", "s_hang"), "a")))
              .await();
          request.send(RawMcp.statelessRequest(6, "tools/call", new JsonObject().put("name", "s_hang")).toBuffer());
          Await.until(() -> stub.count("tools/call") > before, 10, "the hanging call to reach the upstream");
          request.reset();
          Await.until(() -> stub.count("notifications/cancelled") > cancels, 10, "the cancel to reach the upstream");
        }
        served(mcp, round);
      }
      JsonObject view = admin.upstream("s");
      assertThat(view.getString("circuit")).isEqualTo("closed");
      assertThat(view.getInteger("consecutiveFailures")).isZero();
      assertThat(view.getString("state")).isEqualTo("Healthy");
      assertThat(admin.metrics()).doesNotContainPattern("junction_circuit_trips_total\\{[^}]*upstream=\"s\"[^}]*} [1-9]");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void anUpstreamServerErrorStillCountsAsAFault() throws Exception {
    JsonObject health = new JsonObject().put("failureThreshold", 2);
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("s", Gateway.http(stub.url())),
             new JsonObject().put("health", health).put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      stub.failing(true);
      for (int i = 0; i < 2; i++) {
        RawMcp.Reply r = mcp.post(as(RawMcp.statelessHeaders("tools/call", "s_echo"), "a"),
            RawMcp.statelessRequest(i, "tools/call", new JsonObject().put("name", "s_echo")));
        assertThat(r.error().getInteger("code")).isEqualTo(-32603);
      }
      Await.until(() -> !"closed".equals(admin.upstream("s").getString("circuit")), 10, "two 500s to open the circuit");
      RawMcp.Reply refused = mcp.post(as(RawMcp.statelessHeaders("tools/call", "s_echo"), "b"),
          RawMcp.statelessRequest(9, "tools/call", new JsonObject().put("name", "s_echo")));
      assertThat(refused.error().getString("message")).contains("circuit open");
    }
  }

  /** Tenant b is served all along. */
  private static void served(RawMcp mcp, int round) {
    RawMcp.Reply served = mcp.post(as(RawMcp.statelessHeaders("tools/call", "s_echo"), "b"),
        RawMcp.statelessRequest(4, "tools/call", new JsonObject().put("name", "s_echo")));
    assertThat(served.result()).as("round %d: %s", round, served.body()).isNotNull();
  }

  private static String initialize(RawMcp mcp, String tenant) {
    RawMcp.Reply r = mcp.post(as(RawMcp.postHeaders(), tenant), new JsonObject().put("jsonrpc", "2.0").put("id", 0)
        .put("method", "initialize").put("params", new JsonObject().put("protocolVersion", VERSION)
            .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "t").put("version", "1"))));
    assertThat(r.status()).isEqualTo(200);
    String session = r.headers().get("Mcp-Session-Id");
    mcp.post(as(RawMcp.sessionHeaders(session, VERSION), tenant),
        new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
    return session;
  }
}
