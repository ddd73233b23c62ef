package dev.junction.upstream.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The size limit on the legacy HTTP+SSE transport (2024-11-05): an upstream whose event stream
 * carries a 2 MiB answer, with {@code maxEventSize} at 1 MiB. The call fails at once with -32603
 * naming the upstream, the gateway logs one line and closes the stream (which is the upstream
 * session), and the next call gets a fresh session and works. The upstream is a small real server
 * written here: GET /sse names the POST endpoint, answers go out on the stream.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LegacyOversizedIT {
  private static final int HUGE = 2 * 1024 * 1024;

  private static Vertx vertx;
  private static HttpServer server;
  private static final Map<String, HttpServerResponse> streams = new ConcurrentHashMap<>();
  private static final AtomicInteger opened = new AtomicInteger();
  private static final AtomicInteger closed = new AtomicInteger();
  private static Gateway gateway;
  private static RawMcp mcp;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(LegacyOversizedIT::handle).listen(0, "127.0.0.1").await();
    gateway = Gateway.start(new JsonObject().put("old", new JsonObject().put("transport", "sse")
        .put("url", "http://127.0.0.1:" + server.actualPort() + "/sse").put("maxEventSize", "1MiB")
        .put("requestTimeout", "30s")));
    mcp = new RawMcp(gateway.url("/mcp"));
  }

  @AfterAll
  static void stop() {
    mcp.close();
    gateway.close();
    vertx.close().await();
  }

  private static void handle(HttpServerRequest req) {
    if (req.method().name().equals("GET") && req.path().equals("/sse")) {
      String id = Integer.toString(opened.incrementAndGet());
      HttpServerResponse stream = req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
      streams.put(id, stream);
      stream.closeHandler(v -> {
        streams.remove(id);
        closed.incrementAndGet();
      });
      stream.write("event: endpoint\ndata: /message?session=" + id + "\n\n");
      return;
    }
    if (req.method().name().equals("POST") && req.path().equals("/message")) {
      HttpServerResponse stream = streams.get(req.getParam("session"));
      req.body().onSuccess(body -> {
        req.response().setStatusCode(202).end();
        if (stream != null) {
          answer(stream, body.toJsonObject());
        }
      });
      return;
    }
    req.response().setStatusCode(404).end();
  }

  private static void answer(HttpServerResponse stream, JsonObject m) {
    Object id = m.getValue("id");
    String method = m.getString("method");
    if (id == null || method == null) {
      return;
    }
    JsonObject result = switch (method) {
      case "initialize" -> new JsonObject().put("protocolVersion", "2024-11-05")
          .put("capabilities", new JsonObject().put("tools", new JsonObject()))
          .put("serverInfo", new JsonObject().put("name", "legacy").put("version", "1"));
      case "tools/list" -> new JsonObject().put("tools", new JsonArray()
          .add(new JsonObject().put("name", "echo").put("inputSchema", new JsonObject().put("type", "object")))
          .add(new JsonObject().put("name", "big").put("inputSchema", new JsonObject().put("type", "object"))));
      case "tools/call" -> new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text")
          .put("text", "big".equals(m.getJsonObject("params").getString("name")) ? "x".repeat(HUGE) : "fine")));
      default -> new JsonObject();
    };
    JsonObject reply = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result);
    stream.write("event: message\ndata: " + reply.encode() + "\n\n");
  }

  private static RawMcp.Reply call(int id, String tool) {
    JsonObject params = new JsonObject().put("name", "old_" + tool).put("arguments", new JsonObject());
    return mcp.stateless(id, "tools/call", params);
  }

  private static long lines(String text) {
    return LogWatch.lines().stream().filter(l -> l.contains(text)).count();
  }

  @Test
  void anOversizedEventEndsTheCallAndClosesTheStreamWithOneLogLine() {
    RawMcp.Reply first = call(1, "echo");
    assertThat(first.result()).as(first.body()).isNotNull();
    int closedBefore = closed.get();
    int openedBefore = opened.get();
    long logged = lines("event exceeded 1 MiB");

    long start = System.nanoTime();
    RawMcp.Reply r = call(2, "big");
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(r.error()).as(r.body().length() > 500 ? r.body().substring(0, 500) : r.body()).isNotNull();
    assertThat(r.last().getInteger("id")).isEqualTo(2);
    assertThat(r.error().getInteger("code")).isEqualTo(-32603);
    assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("old");
    assertThat(r.body().length()).isLessThan(10_000);
    assertThat(ms).as("answered well before requestTimeout").isLessThan(10_000);

    Await.until(() -> closed.get() == closedBefore + 1, 10, "the upstream's event stream to be closed");
    assertThat(lines("event exceeded 1 MiB")).as("one log line").isEqualTo(logged + 1);
    assertThat(LogWatch.lines()).noneMatch(l -> l.contains("Unhandled exception"));

    RawMcp.Reply next = call(3, "echo");
    assertThat(next.result()).as(next.body()).isNotNull();
    assertThat(next.result().getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("fine");
    assertThat(opened.get()).as("a fresh stream for the next call").isGreaterThan(openedBefore);
  }
}
