package dev.junction.health;

import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkHttpServer;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-tool request timeouts, keep-alive comments on long calls, and transparent re-initialization. */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TimeoutsIT {
  private static final String V = "2025-11-25";

  private static JsonObject call(Object id, String tool, JsonObject arguments) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool).put("arguments", arguments));
  }

  @Test
  void aToolsOwnTimeoutAnswersMinus32001AndCancelsUpstream() {
    try (StubMcpServer stub = StubMcpServer.start(StubMcpServer.Spec.basic().withTools(List.of("echo", "hang"), 100));
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())
             .put("requestTimeout", "30s").put("toolTimeouts", new JsonObject().put("hang", "400ms"))));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      long start = System.nanoTime();
      RawMcp.Reply r = mcp.post(sessionHeaders(session, V), call(7, "stub_hang", new JsonObject()));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(300L, 5_000L);
      assertThat(r.error().getInteger("code")).isEqualTo(-32001);
      assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("stub");
      assertThat(r.last().getInteger("id")).isEqualTo(7);
      Object upstreamId = stub.received().stream()
          .filter(m -> "tools/call".equals(m.getString("method")) && "hang".equals(m.getJsonObject("params").getString("name")))
          .findFirst().orElseThrow().getValue("id");
      assertThat(stub.received()).anyMatch(m -> "notifications/cancelled".equals(m.getString("method"))
          && upstreamId.equals(m.getJsonObject("params").getValue("requestId")));
      // other tools keep the upstream's timeout
      assertThat(mcp.post(sessionHeaders(session, V), call(8, "stub_echo", new JsonObject())).result()).isNotNull();
    }
  }

  @Test
  void aLongCallTurnsIntoAnSseStreamWithKeepAliveComments() {
    try (SdkHttpServer sdk = SdkHttpServer.start("ka");
         Gateway gateway = Gateway.start(new JsonObject().put("sdk", Gateway.http(sdk.url())),
             new JsonObject().put("sseKeepAlive", "200ms"));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      RawMcp.Reply r = mcp.post(sessionHeaders(session, V), call(1, "sdk_slow", new JsonObject().put("ms", 1_000)));
      assertThat(r.headers().get("Content-Type")).startsWith("text/event-stream");
      assertThat(r.body().split(": keep-alive\n\n", -1).length - 1).isGreaterThanOrEqualTo(2);
      assertThat(r.result().getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("slow done");
      assertThat(r.last().getInteger("id")).isEqualTo(1);
      // a quick call stays plain JSON
      RawMcp.Reply quick = mcp.post(sessionHeaders(session, V), call(2, "sdk_echo", new JsonObject().put("text", "q")));
      assertThat(quick.headers().get("Content-Type")).startsWith("application/json");
    }
  }

  @Test
  void anExpiredUpstreamSessionIsReinitializedAndSafeCallsAreRetried() {
    try (StubMcpServer stub = StubMcpServer.start(StubMcpServer.Spec.basic().withTools(List.of("echo", "lookup", "upsert"), 100));
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      assertThat(mcp.post(sessionHeaders(session, V), call(1, "stub_lookup", new JsonObject())).result()).isNotNull();
      int initializes = stub.initializeCount();

      stub.expireSessions();
      RawMcp.Reply readOnly = mcp.post(sessionHeaders(session, V), call(2, "stub_lookup", new JsonObject()));
      assertThat(readOnly.result()).as(readOnly.body()).isNotNull();
      assertThat(stub.initializeCount()).isEqualTo(initializes + 1);

      stub.expireSessions();
      RawMcp.Reply idempotent = mcp.post(sessionHeaders(session, V), call(3, "stub_upsert", new JsonObject()));
      assertThat(idempotent.result()).as(idempotent.body()).isNotNull();
      assertThat(stub.initializeCount()).isEqualTo(initializes + 2);

      stub.expireSessions();
      long echoesBefore = stub.received().stream().filter(m -> "tools/call".equals(m.getString("method"))
          && "echo".equals(m.getJsonObject("params").getString("name"))).count();
      RawMcp.Reply unsafe = mcp.post(sessionHeaders(session, V), call(4, "stub_echo", new JsonObject()));
      assertThat(unsafe.error().getInteger("code")).isEqualTo(-32603);
      assertThat(unsafe.error().getJsonObject("data").getString("upstream")).isEqualTo("stub");
      assertThat(unsafe.error().getString("message")).contains("expired");
      long echoesAfter = stub.received().stream().filter(m -> "tools/call".equals(m.getString("method"))
          && "echo".equals(m.getJsonObject("params").getString("name"))).count();
      assertThat(echoesAfter).as("a call without hints is sent once").isEqualTo(echoesBefore + 1);

      // the downstream session lived through all of it; the next call gets a fresh upstream session
      RawMcp.Reply next = mcp.post(sessionHeaders(session, V), call(5, "stub_echo", new JsonObject()));
      assertThat(next.result()).as(next.body()).isNotNull();
      assertThat(next.last().getInteger("id")).isEqualTo(5);
    }
  }
}
