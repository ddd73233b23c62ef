package dev.junction.pool;

import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkClients;
import dev.junction.testkit.SdkHttpServer;
import dev.junction.testkit.SdkStdioServer;
import dev.junction.testkit.StubMcpServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions over time: timeouts, cancellation, server-initiated messages, process cleanup. */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionLifecycleIT {
  private static final String V = "2025-11-25";

  private static JsonObject call(Object id, String tool) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool));
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static List<JsonObject> cancels(StubMcpServer stub) {
    return stub.received().stream().filter(m -> "notifications/cancelled".equals(m.getString("method"))).toList();
  }

  private static Object upstreamIdOfHang(StubMcpServer stub) {
    return stub.received().stream()
        .filter(m -> "tools/call".equals(m.getString("method")) && "hang".equals(m.getJsonObject("params").getString("name")))
        .reduce((a, b) -> b).orElseThrow().getValue("id");
  }

  @Test
  void aSlowUpstreamGetsMinus32001AndACancel() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url()).put("requestTimeout", "300ms")));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      RawMcp.Reply r = mcp.post(sessionHeaders(session, V), call("slow-1", "stub_hang"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.last().getValue("id")).isEqualTo("slow-1");
      assertThat(r.error().getInteger("code")).isEqualTo(-32001);
      assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("stub");
      await(() -> !cancels(stub).isEmpty(), "notifications/cancelled at the upstream");
      assertThat(cancels(stub).get(0).getJsonObject("params").getValue("requestId")).isEqualTo(upstreamIdOfHang(stub));
    }
  }

  @Test
  void aClientCancelIsForwardedWithTheUpstreamId() throws Exception {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      var pending = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> mcp.post(sessionHeaders(session, V), call(41, "stub_hang")));
      await(() -> stub.received().stream().anyMatch(m -> "tools/call".equals(m.getString("method"))), "the call upstream");
      RawMcp.Reply cancel = mcp.post(sessionHeaders(session, V), new JsonObject().put("jsonrpc", "2.0")
          .put("method", "notifications/cancelled").put("params", new JsonObject().put("requestId", 41).put("reason", "user")));
      assertThat(cancel.status()).isEqualTo(202);
      await(() -> !cancels(stub).isEmpty(), "notifications/cancelled at the upstream");
      JsonObject params = cancels(stub).get(0).getJsonObject("params");
      assertThat(params.getValue("requestId")).isEqualTo(upstreamIdOfHang(stub));
      assertThat(params.getString("reason")).isEqualTo("user");
      assertThat(pending.get(10, TimeUnit.SECONDS).last().getInteger("id")).isEqualTo(41);
    }
  }

  @Test
  void aClosedStatelessStreamCancelsTheUpstreamCall() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())))) {
      Vertx vertx = Vertx.vertx();
      try {
        HttpClient client = vertx.createHttpClient();
        JsonObject body = RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", "stub_hang"));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
            .setAbsoluteURI(gateway.url("/mcp")).setHeaders(RawMcp.statelessHeaders("tools/call", "stub_hang"));
        var request = client.request(options).await();
        request.send(body.toBuffer());
        await(() -> stub.received().stream().anyMatch(m -> "tools/call".equals(m.getString("method"))), "the call upstream");
        request.reset(); // 2026-07-28: closing the stream is the cancellation
        await(() -> !cancels(stub).isEmpty(), "notifications/cancelled at the upstream");
        assertThat(cancels(stub).get(0).getJsonObject("params").getValue("requestId")).isEqualTo(upstreamIdOfHang(stub));
      } finally {
        vertx.close().await();
      }
    }
  }

  @Test
  void serverInitiatedMessagesReachTheClientsGetStream() {
    try (SdkHttpServer upstream = SdkHttpServer.start("alpha");
         Gateway gateway = Gateway.start(new JsonObject().put("alpha", Gateway.http(upstream.url())))) {
      var changes = new CopyOnWriteArrayList<Object>();
      var options = SdkClients.options().customize(spec -> spec.toolsChangeConsumer(changes::add));
      try (McpSyncClient client = SdkClients.http(gateway.url("/mcp"), options)) {
        client.listTools();
        // give the client's GET stream a moment to open, then announce a change upstream
        await(() -> {
          upstream.server().notifyToolsListChanged().block();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
          return !changes.isEmpty();
        }, "tools/list_changed through the GET stream");
      }
    }
  }

  @Test
  void subscribedResourceUpdatesReachTheClient() {
    try (SdkHttpServer upstream = SdkHttpServer.start("alpha");
         Gateway gateway = Gateway.start(new JsonObject().put("alpha", Gateway.http(upstream.url())))) {
      var updates = new CopyOnWriteArrayList<Object>();
      var options = SdkClients.options().customize(spec -> spec.resourcesUpdateConsumer(updates::addAll));
      try (McpSyncClient client = SdkClients.http(gateway.url("/mcp"), options)) {
        client.listResources();
        client.subscribeResource(new io.modelcontextprotocol.spec.McpSchema.SubscribeRequest("test://alpha/hello"));
        await(() -> {
          upstream.server().notifyResourcesUpdated(
              new io.modelcontextprotocol.spec.McpSchema.ResourcesUpdatedNotification("test://alpha/hello")).block();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
          return !updates.isEmpty();
        }, "resources/updated, then the client's read through the gateway");
        assertThat(updates.get(0).toString()).contains("hello from alpha");
      }
    }
  }

  @Test
  void stdioProcessesEndWithTheirSessionAndTheirStderrIsLogged() {
    try (Gateway gateway = Gateway.start(new JsonObject().put("kid", Gateway.stdio("kid")))) {
      McpSyncClient client = SdkClients.http(gateway.url("/mcp"), SdkClients.options());
      assertThat(SessionMatrixText.text(client.callTool(new CallToolRequest("kid_whoami", Map.of())))).isEqualTo("kid");
      assertThat(children()).hasSize(1);
      await(() -> LogWatch.lines().stream().anyMatch(l -> l.startsWith("junction.upstream.kid") && l.contains("stdio server kid ready")),
          "the child's stderr in the log under its upstream's name");
      client.closeGracefully(); // DELETE ends the session, and with it the process
      await(() -> children().isEmpty(), "the child process to exit");
    }
  }

  /** Live java child processes of this JVM: in this class only the gateway's stdio upstreams. */
  private static List<ProcessHandle> children() {
    return ProcessHandle.current().children()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .toList();
  }

  /** Text of a tool result. */
  static final class SessionMatrixText {
    static String text(io.modelcontextprotocol.spec.McpSchema.CallToolResult result) {
      return ((io.modelcontextprotocol.spec.McpSchema.TextContent) result.content().get(0)).text();
    }
  }
}
