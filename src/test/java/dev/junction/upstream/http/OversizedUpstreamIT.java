package dev.junction.upstream.http;

import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Admin;
import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.HostileMcpServer;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hostile Streamable HTTP upstream answers calls with 20 MiB: one SSE event on one {@code data:}
 * line, one event over many lines, and a JSON body (chunked, or with its Content-Length). With
 * {@code maxEventSize} and {@code maxResponseSize} at 1 MiB, each call fails at once with -32603
 * naming the upstream, the gateway logs one line and closes the response (the upstream sees it go
 * before it has written everything), and the next call on the same session works.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OversizedUpstreamIT {
  private static final String V = "2025-11-25";
  private static final long REQUEST_TIMEOUT_MS = 30_000;

  private static HostileMcpServer hostile;
  private static Gateway gateway;
  private static RawMcp mcp;
  private static Admin admin;
  private static String session;

  @BeforeAll
  static void start() {
    hostile = HostileMcpServer.start();
    gateway = Gateway.start(new JsonObject().put("hostile", Gateway.http(hostile.url())
            .put("requestTimeout", REQUEST_TIMEOUT_MS + "ms").put("maxEventSize", "1MiB")
            .put("maxResponseSize", "1MiB")),
        new JsonObject().put("admin", Admin.config()));
    mcp = new RawMcp(gateway.url("/mcp"));
    admin = new Admin(gateway);
    session = mcp.initialize(V, new JsonObject());
  }

  @AfterAll
  static void stop() {
    admin.close();
    mcp.close();
    gateway.close();
    hostile.close();
  }

  private static JsonObject call(int id, String tool) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
        .put("params", new JsonObject().put("name", "hostile_" + tool).put("arguments", new JsonObject()));
  }

  private static long lines(String text) {
    return LogWatch.lines().stream().filter(l -> l.contains(text)).count();
  }

  /** Calls an oversized tool and checks the error, the log, the closed response and the next call. */
  private static void refused(int id, String tool, String what) {
    long logged = lines("exceeded 1 MiB");
    int aborted = hostile.aborted();
    int initializes = hostile.initializes();
    long start = System.nanoTime();
    RawMcp.Reply r = mcp.post(sessionHeaders(session, V), call(id, tool));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(r.last().getInteger("id")).isEqualTo(id);
    assertThat(r.error()).as(r.body().length() > 500 ? r.body().substring(0, 500) : r.body()).isNotNull();
    assertThat(r.error().getInteger("code")).isEqualTo(-32603);
    assertThat(r.error().getString("message")).isEqualTo("Upstream unavailable: upstream " + what + " exceeded 1 MiB");
    assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("hostile");
    assertThat(ms).as("answered well before requestTimeout").isLessThan(REQUEST_TIMEOUT_MS / 3);
    assertThat(r.body().length()).isLessThan(10_000);

    Await.until(() -> hostile.aborted() == aborted + 1, 10, "the upstream's response to be closed");
    assertThat(hostile.finished(tool)).as("the gateway stopped reading").isFalse();
    assertThat(lines("exceeded 1 MiB")).as("one log line per oversized response").isEqualTo(logged + 1);
    assertThat(LogWatch.lines()).noneMatch(l -> l.contains("too long") || l.contains("Unhandled exception"));

    // an oversized answer is the upstream's fault: it counts against its health
    Await.until(() -> admin.upstream("hostile").getInteger("consecutiveFailures") > 0, 10, "a health failure");
    assertThat(admin.upstream("hostile").getString("lastError")).contains("exceeded 1 MiB");

    RawMcp.Reply next = mcp.post(sessionHeaders(session, V), call(id + 1, "echo"));
    assertThat(next.result()).as(next.body()).isNotNull();
    assertThat(next.result().getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("fine");
    assertThat(hostile.initializes()).as("the upstream session lived on").isEqualTo(initializes);
  }

  @Test
  void anEventOnOneHugeDataLineFailsTheCall() {
    refused(10, "one-line", "event");
  }

  @Test
  void anEventOverManyDataLinesFailsTheCall() {
    refused(20, "many-lines", "event");
  }

  @Test
  void aHugeChunkedJsonBodyFailsTheCall() {
    refused(30, "json", "response");
  }

  @Test
  void aJsonBodyWhoseLengthIsTooLargeIsNotRead() {
    refused(40, "json-length", "response");
  }

  @Test
  void anOversizedEventOnTheGetStreamClosesTheStreamOnly() {
    long logged = lines("GET stream event exceeded 1 MiB");
    int aborted = hostile.aborted();
    hostile.hostileGet(true);
    try {
      // a new client session gets an upstream session of its own, which opens its GET stream
      String own = mcp.initialize(V, new JsonObject());
      Await.until(() -> hostile.aborted() == aborted + 1, 10, "the GET stream to be closed");
      assertThat(lines("GET stream event exceeded 1 MiB")).isEqualTo(logged + 1);
      RawMcp.Reply r = mcp.post(sessionHeaders(own, V), call(60, "echo"));
      assertThat(r.result()).as(r.body()).isNotNull();
    } finally {
      hostile.hostileGet(false);
    }
  }

  @Test
  void answersWithinTheLimitsPass() {
    RawMcp.Reply r = mcp.post(sessionHeaders(session, V), call(50, "big-but-fine"));
    assertThat(r.result()).as(r.body().length() > 500 ? r.body().substring(0, 500) : r.body()).isNotNull();
    assertThat(r.result().getJsonArray("content").getJsonObject(0).getString("text")).hasSize(900 * 1024);
  }
}
