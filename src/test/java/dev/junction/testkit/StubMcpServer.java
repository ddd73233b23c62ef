package dev.junction.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A minimal Streamable HTTP MCP server on Vert.x with hand-written JSON, for wire-level checks the
 * SDK servers cannot show: it adds fields no revision defines, echoes back the params it received
 * (so tests see exactly what the gateway sent upstream), and can expire its sessions on demand.
 * State is touched only on its own event loop; tests read it through the synchronized accessors.
 */
public final class StubMcpServer implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final Set<String> live = new HashSet<>();
  private final List<JsonObject> received = new ArrayList<>();
  private final List<String> deleted = new ArrayList<>();
  private int sessions;

  private StubMcpServer(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  /** Starts on 127.0.0.1, port 0. */
  public static StubMcpServer start() {
    StubMcpServer stub = new StubMcpServer(Vertx.vertx());
    stub.server.listen(0, "127.0.0.1").await();
    return stub;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/mcp";
  }

  private void handle(HttpServerRequest req) {
    switch (req.method().name()) {
      case "GET" -> req.response().setStatusCode(405).end();
      case "DELETE" -> {
        record(null, req.getHeader("Mcp-Session-Id"));
        req.response().setStatusCode(200).end();
      }
      default -> req.body().onSuccess(body -> post(req, body.toJsonObject()));
    }
  }

  private synchronized void record(JsonObject message, String deletedSession) {
    if (message != null) {
      received.add(message);
    }
    if (deletedSession != null) {
      deleted.add(deletedSession);
      live.remove(deletedSession);
    }
  }

  private void post(HttpServerRequest req, JsonObject m) {
    record(m, null);
    String method = m.getString("method");
    Object id = m.getValue("id");
    if ("initialize".equals(method)) {
      String session;
      synchronized (this) {
        session = "stub-" + (++sessions);
        live.add(session);
      }
      JsonObject result = new JsonObject()
          .put("protocolVersion", m.getJsonObject("params").getString("protocolVersion"))
          .put("capabilities", new JsonObject().put("tools", new JsonObject().put("listChanged", true)))
          .put("serverInfo", new JsonObject().put("name", "stub").put("version", "1"))
          .put("instructions", "Stub server");
      reply(req.response().putHeader("Mcp-Session-Id", session), id, result);
      return;
    }
    boolean known;
    synchronized (this) {
      known = live.contains(req.getHeader("Mcp-Session-Id"));
    }
    if (!known) {
      req.response().setStatusCode(404).end();
      return;
    }
    if (id == null || method == null) {
      req.response().setStatusCode(202).end();
      return;
    }
    switch (method) {
      case "tools/list" -> reply(req.response(), id, new JsonObject()
          .put("tools", new JsonArray().add(new JsonObject().put("name", "echo")
              .put("inputSchema", new JsonObject().put("type", "object"))
              .put("x-future-field", new JsonObject().put("kept", true))))
          .put("x-list-extra", 1));
      case "tools/call" -> {
        JsonObject params = m.getJsonObject("params", new JsonObject());
        if ("hang".equals(params.getString("name"))) {
          // never answers: for timeouts and cancellation; the gateway resets the request
          req.response().exceptionHandler(err -> { });
          return;
        }
        int size = params.getJsonObject("arguments", new JsonObject()).getInteger("size", 4);
        reply(req.response(), id, new JsonObject()
            .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "x".repeat(size))))
            .put("receivedId", id)
            .put("receivedParams", params)
            .put("x-future", "yes"));
      }
      case "ping" -> reply(req.response(), id, new JsonObject());
      default -> req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("jsonrpc", "2.0").put("id", id)
          .put("error", new JsonObject().put("code", -32601).put("message", "Method not found")).encode());
    }
  }

  private static void reply(io.vertx.core.http.HttpServerResponse resp, Object id, JsonObject result) {
    resp.putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result).encode());
  }

  /** Forgets every session, so the next request on one gets 404 (an expired session). */
  public synchronized void expireSessions() {
    live.clear();
  }

  /** How many initialize requests arrived. */
  public synchronized int initializeCount() {
    return sessions;
  }

  /** The messages received so far, in order. */
  public synchronized List<JsonObject> received() {
    return List.copyOf(received);
  }

  /** Session ids that were ended with DELETE. */
  public synchronized List<String> deleted() {
    return List.copyOf(deleted);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
