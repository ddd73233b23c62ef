package dev.junction.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal Streamable HTTP MCP server on Vert.x with hand-written JSON, for wire-level checks the
 * SDK servers cannot show: it adds fields no revision defines, echoes back the params it received
 * (so tests see exactly what the gateway sent upstream), can expire its sessions on demand, and
 * can be stopped and started again on the same port (a restart: it forgets its sessions). The
 * tool {@code lookup} is annotated {@code readOnlyHint}, {@code upsert} {@code idempotentHint};
 * other tools carry no hints. Call results name the server in {@code server}.
 * State is touched only on its own event loop; tests read it through the synchronized accessors.
 */
public final class StubMcpServer implements AutoCloseable {
  /**
   * What the stub offers. Lists are served {@code pageSize} items a page, with the start index as
   * cursor; {@code listDelayMs} delays every list answer (a slow upstream).
   */
  public record Spec(String name, List<String> tools, int pageSize, List<String> resources,
      List<String> templates, long listDelayMs, Long listTtlMs) {
    /** One tool, echo, in one page; no resources. */
    public static Spec basic() {
      return new Spec("stub", List.of("echo"), 100, List.of(), List.of(), 0, null);
    }

    /** List results carry this {@code ttlMs} (a 2026-07-28 caching hint). */
    public Spec withListTtl(long ms) {
      return new Spec(name, tools, pageSize, resources, templates, listDelayMs, ms);
    }

    public Spec withTools(List<String> names, int pageSize) {
      return new Spec(name, names, pageSize, resources, templates, listDelayMs, listTtlMs);
    }

    public Spec named(String newName) {
      return new Spec(newName, tools, pageSize, resources, templates, listDelayMs, listTtlMs);
    }

    public Spec withResources(List<String> uris, List<String> uriTemplates) {
      return new Spec(name, tools, pageSize, uris, uriTemplates, listDelayMs, listTtlMs);
    }

    public Spec withListDelay(long ms) {
      return new Spec(name, tools, pageSize, resources, templates, ms, listTtlMs);
    }
  }

  private final Vertx vertx;
  private HttpServer server;
  private int port;
  private final Spec spec;
  private final Set<String> live = new HashSet<>();
  private final List<JsonObject> received = new ArrayList<>();
  /** The session id each message arrived on, in the order of {@link #received}. */
  private final List<String> sessionsOfReceived = new ArrayList<>();
  private final Map<String, String> authorizationOfSession = new java.util.HashMap<>();
  private final List<String> traceparents = new ArrayList<>();
  private boolean failing;
  private boolean dropNextDelete;
  private String authorizationServer;
  private final Set<String> rejected = new HashSet<>();
  private final List<String> authorizations = new ArrayList<>();
  private boolean noPing;
  /** Whether messages are kept for {@link #received()}: off for benchmarks, whose millions of calls would fill the heap. */
  private boolean recording = true;
  private int connections;
  private final List<String> deleted = new ArrayList<>();
  private int sessions;
  private final int idleTimeoutSeconds;

  private StubMcpServer(Vertx vertx, Spec spec, int idleTimeoutSeconds) {
    this.vertx = vertx;
    this.spec = spec;
    this.idleTimeoutSeconds = idleTimeoutSeconds;
    this.server = newServer();
  }

  private HttpServer newServer() {
    HttpServerOptions options = new HttpServerOptions().setIdleTimeout(idleTimeoutSeconds);
    return vertx.createHttpServer(options).requestHandler(this::handle).connectionHandler(conn -> {
      synchronized (this) {
        connections++;
      }
      conn.closeHandler(v -> {
        synchronized (this) {
          connections--;
        }
      });
    });
  }

  /** Stops listening and closes every connection: the port refuses connections until {@link #restart()}. */
  public void stop() {
    server.close().await();
  }

  /** Listens again on the same port, as a restarted server: every earlier session is unknown. */
  public void restart() {
    synchronized (this) {
      live.clear();
    }
    server = newServer();
    server.listen(port, "127.0.0.1").await();
  }

  /** Starts on 127.0.0.1, port 0. */
  public static StubMcpServer start() {
    return start(Spec.basic());
  }

  /** Starts on 127.0.0.1, port 0, offering what the spec says. */
  public static StubMcpServer start(Spec spec) {
    return start(spec, 0);
  }

  /**
   * Starts on 127.0.0.1, port 0, closing connections idle for {@code idleTimeoutSeconds} (0: never),
   * as servers behind a proxy do; a test that counts file descriptors needs kept-alive connections to go.
   */
  public static StubMcpServer start(Spec spec, int idleTimeoutSeconds) {
    StubMcpServer stub = new StubMcpServer(Vertx.vertx(), spec, idleTimeoutSeconds);
    stub.server.listen(0, "127.0.0.1").await();
    stub.port = stub.server.actualPort();
    return stub;
  }

  /** Stops keeping received messages and Authorization values (sessions and DELETEs are still tracked): long runs. */
  public synchronized StubMcpServer withoutRecording() {
    recording = false;
    return this;
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/mcp";
  }

  /**
   * Protects the endpoint as an OAuth resource server would: requests without a bearer token, or
   * with one passed to {@link #reject}, get 401 with a challenge naming this server's protected
   * resource metadata (RFC 9728), which lists {@code authorizationServer}.
   */
  public synchronized void protect(String authorizationServer) {
    this.authorizationServer = authorizationServer;
  }

  /** Refuses this exact Authorization value from now on (a revoked or expired token). */
  public synchronized void reject(String authorization) {
    rejected.add(authorization);
  }

  /** Every Authorization value that came with a POST, in order (null for none). */
  public synchronized List<String> authorizations() {
    return new ArrayList<>(authorizations);
  }

  private synchronized boolean refused(HttpServerRequest req) {
    String auth = req.getHeader("Authorization");
    if (recording) {
      authorizations.add(auth);
    }
    return (authorizationServer != null && (auth == null || !auth.startsWith("Bearer "))) || rejected.contains(auth);
  }

  private void handle(HttpServerRequest req) {
    if (req.path().equals("/.well-known/oauth-protected-resource/mcp")) {
      String as;
      synchronized (this) {
        as = authorizationServer;
      }
      if (as == null) {
        req.response().setStatusCode(404).end();
      } else {
        req.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("resource", url())
            .put("authorization_servers", new JsonArray().add(as)).encode());
      }
      return;
    }
    if ("POST".equals(req.method().name()) && refused(req)) {
      req.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer resource_metadata=\"http://127.0.0.1:" + port
          + "/.well-known/oauth-protected-resource/mcp\"").end();
      return;
    }
    switch (req.method().name()) {
      case "GET" -> req.response().setStatusCode(405).end();
      case "DELETE" -> {
        if (dropDelete()) {
          // no answer: the connection closes, as a kept-alive one does when the server times it out
          req.connection().close();
          return;
        }
        record(null, req.getHeader("Mcp-Session-Id"));
        req.response().setStatusCode(200).end();
      }
      default -> req.body().onSuccess(body -> {
        JsonObject m = body.toJsonObject();
        synchronized (this) {
          if (recording) {
            if (req.getHeader("traceparent") != null) {
              traceparents.add(req.getHeader("traceparent"));
            }
            sessionsOfReceived.add(req.getHeader("Mcp-Session-Id"));
            received.add(m);
          }
        }
        post(req, m);
      });
    }
  }

  private synchronized void record(JsonObject message, String deletedSession) {
    if (message != null && recording) {
      received.add(message);
    }
    if (deletedSession != null) {
      deleted.add(deletedSession);
      live.remove(deletedSession);
    }
  }

  private void post(HttpServerRequest req, JsonObject m) {
    String method = m.getString("method");
    Object id = m.getValue("id");
    if ("initialize".equals(method)) {
      String session;
      synchronized (this) {
        session = "stub-" + (++sessions);
        live.add(session);
        authorizationOfSession.put(session, req.getHeader("Authorization"));
      }
      JsonObject result = new JsonObject()
          .put("protocolVersion", m.getJsonObject("params").getString("protocolVersion"))
          .put("capabilities", new JsonObject().put("tools", new JsonObject().put("listChanged", true))
              .put("resources", new JsonObject()))
          .put("serverInfo", new JsonObject().put("name", spec.name()).put("version", "1"))
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
      case "tools/list" -> page(req, id, m, "tools", spec.tools(), n -> annotated(new JsonObject().put("name", n)
          .put("inputSchema", new JsonObject().put("type", "object"))
          .put("x-future-field", new JsonObject().put("kept", true))));
      case "resources/list" -> page(req, id, m, "resources", spec.resources(), u -> new JsonObject().put("uri", u)
          .put("name", u));
      case "resources/templates/list" -> page(req, id, m, "resourceTemplates", spec.templates(),
          t -> new JsonObject().put("uriTemplate", t).put("name", t));
      case "resources/read" -> reply(req.response(), id, new JsonObject().put("contents", new JsonArray()
          .add(new JsonObject().put("uri", m.getJsonObject("params").getString("uri"))
              .put("text", "from " + spec.name()))));
      case "tools/call" -> {
        JsonObject params = m.getJsonObject("params", new JsonObject());
        synchronized (this) {
          if (failing) {
            req.response().setStatusCode(500).end();
            return;
          }
        }
        if ("refuse".equals(params.getString("name"))) {
          // refuses this request alone, as a server refuses a body it cannot take (RFC 9110 15.5.21)
          req.response().setStatusCode(422).putHeader("Content-Type", "text/plain").end("unprocessable");
          return;
        }
        if ("refuse-json".equals(params.getString("name"))) {
          req.response().setStatusCode(400).putHeader("Content-Type", "application/json").end(new JsonObject()
              .put("jsonrpc", "2.0").put("id", id).put("error", new JsonObject().put("code", -32602)
                  .put("message", "Invalid arguments")).encode());
          return;
        }
        if ("slow".equals(params.getString("name"))) {
          // answers after arguments.ms without holding a thread: a call still in flight when the gateway drains
          long ms = params.getJsonObject("arguments", new JsonObject()).getLong("ms", 1_000L);
          vertx.setTimer(ms, t -> reply(req.response(), id, new JsonObject().put("content", new JsonArray()
              .add(new JsonObject().put("type", "text").put("text", "slow done")))));
          return;
        }
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
            .put("server", spec.name())
            .put("x-future", "yes"));
      }
      case "ping" -> {
        boolean unsupported;
        synchronized (this) {
          unsupported = noPing;
        }
        if (unsupported) {
          req.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("jsonrpc", "2.0")
              .put("id", id).put("error", new JsonObject().put("code", -32601).put("message", "Method not found")).encode());
        } else {
          reply(req.response(), id, new JsonObject());
        }
      }
      default -> req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("jsonrpc", "2.0").put("id", id)
          .put("error", new JsonObject().put("code", -32601).put("message", "Method not found")).encode());
    }
  }

  private static JsonObject annotated(JsonObject tool) {
    return switch (tool.getString("name")) {
      case "lookup" -> tool.put("annotations", new JsonObject().put("readOnlyHint", true));
      case "upsert" -> tool.put("annotations", new JsonObject().put("idempotentHint", true));
      default -> tool;
    };
  }

  private void page(HttpServerRequest req, Object id, JsonObject m, String field, List<String> all,
      java.util.function.Function<String, JsonObject> item) {
    JsonObject params = m.getJsonObject("params", new JsonObject());
    int from = params.getString("cursor") == null ? 0 : Integer.parseInt(params.getString("cursor"));
    int to = Math.min(all.size(), from + spec.pageSize());
    JsonArray items = new JsonArray();
    all.subList(from, to).forEach(n -> items.add(item.apply(n)));
    JsonObject result = new JsonObject().put(field, items).put("x-list-extra", 1);
    if (to < all.size()) {
      result.put("nextCursor", String.valueOf(to));
    }
    if (spec.listTtlMs() != null) {
      result.put("ttlMs", spec.listTtlMs());
    }
    if (spec.listDelayMs() > 0) {
      vertx.setTimer(spec.listDelayMs(), t -> reply(req.response(), id, result));
    } else {
      reply(req.response(), id, result);
    }
  }

  /** How many requests of this method arrived. */
  public synchronized long count(String method) {
    return received.stream().filter(r -> method.equals(r.getString("method"))).count();
  }

  private static void reply(io.vertx.core.http.HttpServerResponse resp, Object id, JsonObject result) {
    resp.putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result).encode());
  }

  /**
   * The next DELETE gets no answer: its connection is closed, as when a server closes an idle
   * kept-alive connection just as the client sends on it. The session stays live.
   */
  public synchronized void dropNextDelete() {
    dropNextDelete = true;
  }

  private synchronized boolean dropDelete() {
    boolean drop = dropNextDelete;
    dropNextDelete = false;
    return drop;
  }

  /** While failing, every tools/call gets HTTP 500 (a broken upstream). */
  public synchronized void failing(boolean failing) {
    this.failing = failing;
  }

  /** Answers ping with -32601, as servers that do not implement it do. */
  public synchronized void noPing(boolean noPing) {
    this.noPing = noPing;
  }

  /** Every traceparent header received, in order. */
  public synchronized List<String> traceparents() {
    return List.copyOf(traceparents);
  }

  /** The Authorization header a session was initialized with. */
  public synchronized String authorizationOf(String session) {
    return authorizationOfSession.get(session);
  }

  /** Open HTTP connections to the stub. */
  public synchronized int openConnections() {
    return connections;
  }

  /** Sessions still open (initialized and neither deleted nor expired). */
  public synchronized int liveSessions() {
    return live.size();
  }

  /** For each session id, the values of {@code arguments.<field>} of the tools/calls it carried. */
  public synchronized Map<String, Set<Object>> callArgumentsBySession(String field) {
    Map<String, Set<Object>> out = new java.util.HashMap<>();
    for (int i = 0; i < received.size(); i++) {
      JsonObject m = received.get(i);
      if ("tools/call".equals(m.getString("method"))) {
        Object value = m.getJsonObject("params").getJsonObject("arguments", new JsonObject()).getValue(field);
        out.computeIfAbsent(sessionsOfReceived.get(i), k -> new HashSet<>()).add(value);
      }
    }
    return out;
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
