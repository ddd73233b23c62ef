package dev.junction.testkit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Session-based (2025-06-18) MCP requests over plain HTTP to the nodes of a {@link ClusterNodes},
 * all to one endpoint path, the caller's identity (a tenant, an API key) in one header. Blocking
 * calls, from any thread; one that gets no answer fails with an AssertionError naming the node.
 */
public final class NodeSessions {
  private static final String VERSION = "2025-06-18";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ClusterNodes nodes;
  private final String path;
  private final String identityHeader;

  /**
   * Requests to {@code path} on every node, the identity in {@code identityHeader} (null where no
   * request carries one).
   */
  public NodeSessions(ClusterNodes nodes, String path, String identityHeader) {
    this.nodes = nodes;
    this.path = path;
    this.identityHeader = identityHeader;
  }

  /**
   * A request to node {@code node}, with the session and identity headers unless they are null and
   * a JSON {@code body} unless it is null. A GET accepts only an event stream.
   */
  public HttpRequest request(int node, String method, String session, String identity, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(nodes.url(node, path)))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "GET".equals(method) ? "text/event-stream" : "application/json, text/event-stream")
        .header("MCP-Protocol-Version", VERSION);
    if (identity != null) {
      b.header(identityHeader, identity);
    }
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** Sends {@link #request} and waits for the answer. */
  public HttpResponse<String> send(int node, String method, String session, String identity, String body) {
    return send(request(node, method, session, identity, body), node);
  }

  /** POSTs {@code body} to node {@code node}. */
  public HttpResponse<String> post(int node, String session, String identity, JsonObject body) {
    return send(node, "POST", session, identity, body.encode());
  }

  /** Sends a request the caller built, to node {@code node} (named if it fails). */
  public HttpResponse<String> send(HttpRequest request, int node) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("node " + node + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sends a request without waiting for the answer. */
  public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Initializes a session of {@code identity} on node {@code node}, which then owns it, and sends
   * {@code notifications/initialized}; the session's id.
   */
  public String initialize(int node, String identity) {
    HttpResponse<String> r = post(node, null, identity, initializeRequest());
    if (r.statusCode() != 200) {
      throw new AssertionError("initialize on node " + node + " failed: " + r.statusCode() + " " + r.body());
    }
    String session = r.headers().firstValue("Mcp-Session-Id")
        .orElseThrow(() -> new AssertionError("initialize on node " + node + " gave no Mcp-Session-Id"));
    HttpResponse<String> initialized = post(node, session, identity,
        new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
    if (initialized.statusCode() != 202) {
      throw new AssertionError("notifications/initialized on node " + node + " answered " + initialized.statusCode()
          + " " + initialized.body());
    }
    return session;
  }

  /** An {@code initialize} request (id 0) of a client without capabilities. */
  public static JsonObject initializeRequest() {
    return new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", VERSION).put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "node-sessions").put("version", "1")));
  }

  /** A {@code tools/call} request. */
  public static JsonObject toolCall(int id, String tool, JsonObject arguments) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool).put("arguments", arguments));
  }
}
