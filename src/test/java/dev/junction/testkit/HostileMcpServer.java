package dev.junction.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Streamable HTTP MCP server (the shapes of {@link StubMcpServer}) whose tools misbehave. It
 * initializes and lists its tools properly; each tool then answers in its own wrong way:
 * <ul>
 *   <li>{@code echo}: a proper result, {@code "fine"};</li>
 *   <li>{@code big-but-fine}: a 900 KiB SSE event;</li>
 *   <li>{@code one-line}, {@code many-lines}: a 20 MiB SSE event on one {@code data:} line, or over
 *       many; {@code json}, {@code json-length}: a 20 MiB JSON body, chunked or with its length;</li>
 *   <li>{@code garbage}: a JSON content type over text that is not JSON; {@code garbage-sse}: an SSE
 *       event whose data is not JSON; {@code error-500}: HTTP 500 with an HTML page;</li>
 *   <li>{@code wrong-id}: a proper response to another request id, so the call is never answered;</li>
 *   <li>{@code hang}: no answer at all; {@code hang-sse}: an SSE stream that sends only comments;</li>
 *   <li>{@code cut}: half a JSON body, then the connection is reset.</li>
 * </ul>
 * Writes respect back-pressure, so it holds little memory; {@link #aborted()} counts responses
 * that the other side closed before they were complete. State is held in concurrent types: the
 * server runs on its own event loop and tests read it from the JUnit thread.
 */
public final class HostileMcpServer implements AutoCloseable {
  /** How much the oversized tools send. */
  public static final int HUGE = 20 * 1024 * 1024;
  /** Every tool it lists. */
  public static final List<String> TOOLS = List.of("echo", "big-but-fine", "one-line", "many-lines", "json",
      "json-length", "garbage", "garbage-sse", "error-500", "wrong-id", "hang", "hang-sse", "cut");

  private final Vertx vertx = Vertx.vertx();
  private HttpServer server;
  private final AtomicInteger aborted = new AtomicInteger();
  private final AtomicInteger initializes = new AtomicInteger();
  private final AtomicBoolean hostileGet = new AtomicBoolean();
  private final Set<String> finished = ConcurrentHashMap.newKeySet();
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final AtomicInteger open = new AtomicInteger();

  private HostileMcpServer() {
  }

  /** Starts on 127.0.0.1, port 0; connections stay open for as long as the client keeps them. */
  public static HostileMcpServer start() {
    return start(0);
  }

  /**
   * Starts on 127.0.0.1, port 0, closing connections idle for {@code idleTimeoutSeconds} (0: never),
   * as servers behind a proxy do; a test that counts file descriptors needs kept-alive connections to go.
   */
  public static HostileMcpServer start(int idleTimeoutSeconds) {
    HostileMcpServer h = new HostileMcpServer();
    h.server = h.vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(idleTimeoutSeconds))
        .requestHandler(h::handle)
        .connectionHandler(conn -> {
          h.open.incrementAndGet();
          conn.closeHandler(v -> h.open.decrementAndGet());
        })
        .listen(0, "127.0.0.1").await();
    return h;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/mcp";
  }

  /** Responses closed by the client before they were complete. */
  public int aborted() {
    return aborted.get();
  }

  /** initialize requests answered. */
  public int initializes() {
    return initializes.get();
  }

  /** Sessions initialized and not ended with DELETE. */
  public int liveSessions() {
    return live.size();
  }

  /** Open HTTP connections. */
  public int openConnections() {
    return open.get();
  }

  /** Whether a GET stream gets one huge event (otherwise: 405, no stream). */
  public void hostileGet(boolean on) {
    hostileGet.set(on);
  }

  /** Whether an oversized answer of this tool was written in full (the client read it all). */
  public boolean finished(String tool) {
    return finished.contains(tool);
  }

  private void handle(HttpServerRequest req) {
    switch (req.method().name()) {
      case "POST" -> req.body().onSuccess(body -> post(req, body.toJsonObject()));
      case "DELETE" -> {
        live.remove(String.valueOf(req.getHeader("Mcp-Session-Id")));
        req.response().end();
      }
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
        String session = "hostile-" + initializes.incrementAndGet();
        live.add(session);
        json(resp.putHeader("Mcp-Session-Id", session), id, new JsonObject()
            .put("protocolVersion", m.getJsonObject("params").getString("protocolVersion"))
            .put("capabilities", new JsonObject().put("tools", new JsonObject()))
            .put("serverInfo", new JsonObject().put("name", "hostile").put("version", "1")));
      }
      case "tools/list" -> {
        JsonArray tools = new JsonArray();
        TOOLS.forEach(n -> tools.add(
            new JsonObject().put("name", n).put("inputSchema", new JsonObject().put("type", "object"))));
        json(resp, id, new JsonObject().put("tools", tools));
      }
      case "ping" -> json(resp, id, new JsonObject());
      case "tools/call" -> call(resp, id, m.getJsonObject("params").getString("name"));
      default -> resp.putHeader("Content-Type", "application/json").end(new JsonObject().put("jsonrpc", "2.0")
          .put("id", id).put("error", new JsonObject().put("code", -32601).put("message", "Method not found"))
          .encode());
    }
  }

  private void call(HttpServerResponse resp, Object id, String tool) {
    String head = "{\"jsonrpc\":\"2.0\",\"id\":" + Json.encode(id)
        + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"";
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
      case "garbage" -> resp.putHeader("Content-Type", "application/json").end("<html>not json at all {{{");
      case "garbage-sse" -> resp.putHeader("Content-Type", "text/event-stream")
          .end("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":\n\ndata: \u0000\u0001 binary?\n\n");
      case "error-500" -> resp.setStatusCode(500).putHeader("Content-Type", "text/html")
          .end("<html><body><h1>Internal Server Error</h1></body></html>");
      case "wrong-id" -> json(resp, "not-" + id, new JsonObject().put("content", new JsonArray()));
      case "hang" -> resp.exceptionHandler(err -> { });
      case "hang-sse" -> {
        resp.setChunked(true).putHeader("Content-Type", "text/event-stream").exceptionHandler(err -> { });
        long timer = vertx.setPeriodic(200, t -> resp.write(": still thinking\n\n"));
        resp.closeHandler(v -> vertx.cancelTimer(timer));
      }
      case "cut" -> {
        resp.setChunked(true).putHeader("Content-Type", "application/json").exceptionHandler(err -> { });
        resp.write(head + "half of it");
        vertx.setTimer(20, t -> resp.reset());
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
