package dev.junction.testkit;

import dev.junction.upstream.sse.SseParser;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A hand-rolled MCP HTTP client for wire-level tests: exact headers in, exact status, headers and
 * body out. Blocking calls, for the JUnit thread only.
 */
public final class RawMcp implements AutoCloseable {
  /** One HTTP answer. {@code messages} holds the JSON body, or every SSE event's data. */
  public record Reply(int status, MultiMap headers, String body, List<JsonObject> messages) {
    /** The last message: the response of a request. */
    public JsonObject last() {
      return messages.isEmpty() ? null : messages.get(messages.size() - 1);
    }

    public JsonObject result() {
      return last().getJsonObject("result");
    }

    public JsonObject error() {
      return last().getJsonObject("error");
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private final String url;

  public RawMcp(String url) {
    this.url = url;
  }

  /** The usual headers of a POST. */
  public static MultiMap postHeaders() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json")
        .add("Accept", "application/json, text/event-stream");
  }

  public Reply post(MultiMap headers, String body) {
    return send(HttpMethod.POST, headers, Buffer.buffer(body));
  }

  public Reply post(MultiMap headers, JsonObject body) {
    return post(headers, body.encode());
  }

  public Reply send(HttpMethod method, MultiMap headers, Buffer body) {
    var req = client.requestAbs(method, url).putHeaders(headers);
    HttpResponse<Buffer> resp = (body == null ? req.send() : req.sendBuffer(body)).await();
    String text = resp.bodyAsString() == null ? "" : resp.bodyAsString();
    List<JsonObject> messages = new ArrayList<>();
    String type = resp.getHeader("Content-Type");
    if (type != null && type.startsWith("text/event-stream")) {
      new SseParser(e -> messages.add(new JsonObject(e.data()))).handle(Buffer.buffer(text));
    } else if (text.startsWith("{")) {
      messages.add(new JsonObject(text));
    }
    return new Reply(resp.statusCode(), resp.headers(), text, messages);
  }

  /** Initializes a session at the given revision; returns its id. */
  public String initialize(String version, JsonObject capabilities) {
    Reply r = post(postHeaders(), new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", version).put("capabilities", capabilities)
            .put("clientInfo", new JsonObject().put("name", "raw").put("version", "1"))));
    if (r.status() != 200) {
      throw new AssertionError("initialize failed: " + r.status() + " " + r.body());
    }
    String session = r.headers().get("Mcp-Session-Id");
    post(sessionHeaders(session, version), new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
    return session;
  }

  /** Headers of a request in a session. */
  public static MultiMap sessionHeaders(String session, String version) {
    return postHeaders().add("Mcp-Session-Id", session).add("MCP-Protocol-Version", version);
  }

  /** Headers and body of a 2026-07-28 request. */
  public static MultiMap statelessHeaders(String method, String name) {
    MultiMap h = postHeaders().add("MCP-Protocol-Version", "2026-07-28").add("Mcp-Method", method);
    return name == null ? h : h.add("Mcp-Name", name);
  }

  /** A 2026-07-28 request body with the required _meta. */
  public static JsonObject statelessRequest(Object id, String method, JsonObject params) {
    JsonObject p = params == null ? new JsonObject() : params.copy();
    JsonObject meta = p.getJsonObject("_meta", new JsonObject())
        .put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
        .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw").put("version", "1"))
        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject());
    p.put("_meta", meta);
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", p);
  }

  /** Sends a 2026-07-28 request with matching headers. */
  public Reply stateless(Object id, String method, JsonObject params) {
    String name = params == null ? null : params.getString("name", params.getString("uri"));
    return post(statelessHeaders(method, name), statelessRequest(id, method, params));
  }

  public static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
