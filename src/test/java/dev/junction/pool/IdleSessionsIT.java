package dev.junction.pool;

import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A session's idle time counts from its last activity, and an open GET stream is activity. */
@ExtendWith(LogWatch.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleSessionsIT {
  private static final String V = "2025-11-25";
  private static final long IDLE_MS = 2_000;

  private static JsonObject list(Object id) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/list");
  }

  @Test
  void aSessionWhoseStreamOutlivedTheIdleTimeoutLivesOnAfterTheStreamCloses() {
    Vertx vertx = Vertx.vertx();
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("sessionIdleTimeout", IDLE_MS + "ms"));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      HttpClient http = vertx.createHttpClient();
      RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(gateway.url("/mcp"))
          .putHeader("Accept", "text/event-stream").putHeader("Mcp-Session-Id", session)
          .putHeader("MCP-Protocol-Version", V);
      HttpClientRequest stream = http.request(get).await();
      HttpClientResponse opened = stream.send().await();
      assertThat(opened.statusCode()).isEqualTo(200);

      // the stream stays open for well over the idle timeout, then the client closes it; sweeps run
      // every quarter of the idle timeout, so two pass before the next request
      vertx.timer(2 * IDLE_MS).await();
      stream.reset();
      vertx.timer(IDLE_MS / 2 + 100).await();

      RawMcp.Reply after = mcp.post(sessionHeaders(session, V), list(1));
      assertThat(after.status()).as(after.body()).isEqualTo(200);
      assertThat(after.result()).isNotNull();

      // without a stream and without requests, the session is swept as before
      vertx.timer(IDLE_MS + IDLE_MS / 2).await();
      RawMcp.Reply swept = mcp.post(sessionHeaders(session, V), list(2));
      assertThat(swept.status()).isEqualTo(404);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aCallLongerThanTheIdleTimeoutKeepsItsSession() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())
             .put("requestTimeout", (3 * IDLE_MS) + "ms")), new JsonObject().put("sessionIdleTimeout", IDLE_MS + "ms"));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      // the upstream never answers: the call lasts its whole request timeout, past the idle timeout
      RawMcp.Reply slow = mcp.post(sessionHeaders(session, V), new JsonObject().put("jsonrpc", "2.0").put("id", 1)
          .put("method", "tools/call").put("params", new JsonObject().put("name", "stub_hang")));
      assertThat(slow.error().getInteger("code")).isEqualTo(-32001);
      RawMcp.Reply after = mcp.post(sessionHeaders(session, V), list(2));
      assertThat(after.status()).as(after.body()).isEqualTo(200);
    }
  }
}
