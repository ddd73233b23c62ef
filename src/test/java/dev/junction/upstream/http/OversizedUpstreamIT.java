package dev.junction.upstream.http;

import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Admin;
import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
  private static final int HUGE = 20 * 1024 * 1024;
  private static final long REQUEST_TIMEOUT_MS = 30_000;

  private static Hostile hostile;
  private static Gateway gateway;
  private static RawMcp mcp;
  private static Admin admin;
  private static String session;

  @BeforeAll
  static void start() {
    hostile = Hostile.start();
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
    int aborted = hostile.aborted.get();
    int initializes = hostile.initializes.get();
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

    Await.until(() -> hostile.aborted.get() == aborted + 1, 10, "the upstream's response to be closed");
    assertThat(hostile.finished(tool)).as("the gateway stopped reading").isFalse();
    assertThat(lines("exceeded 1 MiB")).as("one log line per oversized response").isEqualTo(logged + 1);
    assertThat(LogWatch.lines()).noneMatch(l -> l.contains("too long") || l.contains("Unhandled exception"));

    // an oversized answer is the upstream's fault: it counts against its health
    Await.until(() -> admin.upstream("hostile").getInteger("consecutiveFailures") > 0, 10, "a health failure");
    assertThat(admin.upstream("hostile").getString("lastError")).contains("exceeded 1 MiB");

    RawMcp.Reply next = mcp.post(sessionHeaders(session, V), call(id + 1, "echo"));
    assertThat(next.result()).as(next.body()).isNotNull();
    assertThat(next.result().getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("fine");
    assertThat(hostile.initializes.get()).as("the upstream session lived on").isEqualTo(initializes);
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
    int aborted = hostile.aborted.get();
    hostile.hostileGet.set(true);
    try {
      // a new client session gets an upstream session of its own, which opens its GET stream
      String own = mcp.initialize(V, new JsonObject());
      Await.until(() -> hostile.aborted.get() == aborted + 1, 10, "the GET stream to be closed");
      assertThat(lines("GET stream event exceeded 1 MiB")).isEqualTo(logged + 1);
      RawMcp.Reply r = mcp.post(sessionHeaders(own, V), call(60, "echo"));
      assertThat(r.result()).as(r.body()).isNotNull();
    } finally {
      hostile.hostileGet.set(false);
    }
  }

  @Test
  void answersWithinTheLimitsPass() {
    RawMcp.Reply r = mcp.post(sessionHeaders(session, V), call(50, "big-but-fine"));
    assertThat(r.result()).as(r.body().length() > 500 ? r.body().substring(0, 500) : r.body()).isNotNull();
    assertThat(r.result().getJsonArray("content").getJsonObject(0).getString("text")).hasSize(900 * 1024);
  }

  /**
   * A Streamable HTTP MCP server (the shapes of the test kit's stub) whose tools answer with far too
   * much. Writes respect back-pressure, so it holds little memory; {@link #aborted} counts responses
   * that were closed by the other side before they were complete.
   */
  static final class Hostile implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private HttpServer server;
    final AtomicInteger aborted = new AtomicInteger();
    final AtomicInteger initializes = new AtomicInteger();
    /** Whether a GET stream gets one huge event (otherwise: 405, no stream). */
    final AtomicBoolean hostileGet = new AtomicBoolean();
    private final Set<String> finished = ConcurrentHashMap.newKeySet();

    static Hostile start() {
      Hostile h = new Hostile();
      h.server = h.vertx.createHttpServer().requestHandler(h::handle).listen(0, "127.0.0.1").await();
      return h;
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/mcp";
    }

    boolean finished(String tool) {
      return finished.contains(tool);
    }

    private void handle(HttpServerRequest req) {
      switch (req.method().name()) {
        case "POST" -> req.body().onSuccess(body -> post(req, body.toJsonObject()));
        case "DELETE" -> req.response().end();
        case "GET" -> {
          if (hostileGet.get()) {
            HttpServerResponse resp = req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
            stream(resp, "get", "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":\"",
                "z".repeat(64 * 1024), "\"}\n\n");
          } else {
            req.response().setStatusCode(405).end();
          }
        }
        default -> req.response().setStatusCode(405).end();
      }
    }

    private void post(HttpServerRequest req, JsonObject m) {
      Object id = m.getValue("id");
      String method = m.getString("method");
      HttpServerResponse resp = req.response();
      if (id == null) {
        resp.setStatusCode(202).end();
        return;
      }
      switch (method) {
        case "initialize" -> {
          initializes.incrementAndGet();
          json(resp.putHeader("Mcp-Session-Id", "hostile-1"), id, new JsonObject()
              .put("protocolVersion", m.getJsonObject("params").getString("protocolVersion"))
              .put("capabilities", new JsonObject().put("tools", new JsonObject()))
              .put("serverInfo", new JsonObject().put("name", "hostile").put("version", "1")));
        }
        case "tools/list" -> {
          JsonArray tools = new JsonArray();
          List.of("echo", "one-line", "many-lines", "json", "json-length", "big-but-fine").forEach(n -> tools.add(
              new JsonObject().put("name", n).put("inputSchema", new JsonObject().put("type", "object"))));
          json(resp, id, new JsonObject().put("tools", tools));
        }
        case "tools/call" -> call(resp, id, m.getJsonObject("params").getString("name"));
        default -> resp.putHeader("Content-Type", "application/json").end(new JsonObject().put("jsonrpc", "2.0")
            .put("id", id).put("error", new JsonObject().put("code", -32601).put("message", "Method not found"))
            .encode());
      }
    }

    private void call(HttpServerResponse resp, Object id, String tool) {
      String head = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"";
      String tail = "\"}]}}";
      switch (tool) {
        case "echo" -> json(resp, id, new JsonObject().put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "fine"))));
        case "big-but-fine" -> resp.putHeader("Content-Type", "text/event-stream")
            .end("data: " + head + "x".repeat(900 * 1024) + tail + "\n\n");
        case "one-line" -> {
          resp.setChunked(true).putHeader("Content-Type", "text/event-stream");
          stream(resp, tool, "data: " + head, "x".repeat(64 * 1024), tail + "\n\n");
        }
        case "many-lines" -> {
          resp.setChunked(true).putHeader("Content-Type", "text/event-stream");
          String lines = ("data: " + "y".repeat(1017) + "\n").repeat(64);
          stream(resp, tool, "data: " + head + "\n", lines, "data: " + tail + "\n\n");
        }
        case "json" -> {
          resp.setChunked(true).putHeader("Content-Type", "application/json");
          stream(resp, tool, head, "x".repeat(64 * 1024), tail);
        }
        case "json-length" -> {
          resp.putHeader("Content-Type", "application/json")
              .putHeader("Content-Length", String.valueOf(head.length() + HUGE + tail.length()));
          stream(resp, tool, head, "x".repeat(64 * 1024), tail);
        }
        default -> json(resp, id, new JsonObject().put("isError", true));
      }
    }

    /** Writes head, then {@code piece} until {@link #HUGE} bytes, then tail, as fast as the reader reads. */
    private void stream(HttpServerResponse resp, String tool, String head, String piece, String tail) {
      boolean[] done = {false};
      Runnable abort = () -> {
        if (!done[0]) {
          done[0] = true;
          aborted.incrementAndGet();
        }
      };
      resp.exceptionHandler(err -> abort.run());
      resp.closeHandler(v -> abort.run());
      resp.write(head);
      Buffer chunk = Buffer.buffer(piece);
      int[] written = {0};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (!done[0] && written[0] < HUGE) {
          if (resp.writeQueueFull()) {
            resp.drainHandler(v -> pump[0].run());
            return;
          }
          resp.write(chunk);
          written[0] += chunk.length();
        }
        if (!done[0]) {
          done[0] = true;
          finished.add(tool);
          resp.end(tail);
        }
      };
      pump[0].run();
    }

    private static void json(HttpServerResponse resp, Object id, JsonObject result) {
      resp.putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result).encode());
    }

    @Override
    public void close() {
      vertx.close().await();
    }
  }
}
