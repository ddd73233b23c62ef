package dev.junction.ingress;

import static dev.junction.testkit.RawMcp.postHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawHttp;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingress against an attacker on loopback: empty and conflicting bodies, slow heads, idle
 * connections, rebinding Host names, oversized bodies and many large bodies at once. Raw sockets
 * for what no well-behaved client sends, the HTTP client for the rest.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HardeningIT {
  /** Per ingress instance (there is one): two 1 MB bodies fit, a third does not. */
  private static final int BUDGET = 2 * 1024 * 1024;
  private static final int LARGE = 1_000_000;
  private static StubMcpServer stub;
  private static Gateway gateway;
  private static RawMcp mcp;
  private static String host;

  @BeforeAll
  static void start() {
    stub = StubMcpServer.start();
    gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())), new JsonObject()
        .put("ingressInstances", 1)
        .put("sseKeepAlive", "30s")
        .put("limits", new JsonObject().put("headerReadTimeout", "1s").put("idleTimeout", "2s")
            .put("bodyBudget", BUDGET)));
    mcp = new RawMcp(gateway.url("/mcp"));
    host = "127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stop() {
    mcp.close();
    gateway.close();
    stub.close();
  }

  private static String post(String path, String... extra) {
    StringBuilder s = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + host
        + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n");
    for (String h : extra) {
      s.append(h).append("\r\n");
    }
    return s.append("\r\n").toString();
  }

  private static double metric(String series) {
    RawHttp.Read r = RawHttp.exchange(gateway.port(), "GET", "/metrics", host);
    assertThat(r.status()).isEqualTo(200);
    double sum = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith(series + " ") || line.startsWith(series + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static double timedOut(String reason) {
    return metric("junction_connections_timed_out_total{reason=\"" + reason + "\",}")
        + metric("junction_connections_timed_out_total{reason=\"" + reason + "\"}");
  }

  // defect 1
  @Test
  void anEmptyBodyIsAParseError() {
    RawMcp.Reply empty = mcp.post(postHeaders(), "");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.error().getInteger("code")).isEqualTo(-32700);
    assertThat(empty.last().containsKey("id")).isTrue();
    assertThat(empty.last().getValue("id")).isNull();
    assertThat(empty.body()).doesNotContain("Exception");
    try (RawHttp http = new RawHttp(gateway.port())) {
      http.write(post("/mcp", "Transfer-Encoding: chunked") + "0\r\n\r\n");
      RawHttp.Read r = http.readUntilClosed(5_000);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().getJsonObject("error").getInteger("code")).isEqualTo(-32700);
      assertThat(r.json().getValue("id")).isNull();
    }
  }

  // defect 3 (RFC 9112 6.1: answer, then close; what follows the chunked body never runs)
  @Test
  void conflictingFramingGetsOneAnswerThenTheConnectionCloses() {
    String smuggled = "GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    String body = "0\r\n\r\n" + smuggled;
    try (RawHttp http = new RawHttp(gateway.port())) {
      http.write(post("/mcp", "Content-Length: " + body.length(), "Transfer-Encoding: chunked") + body);
      RawHttp.Read r = http.readUntilClosed(5_000);
      assertThat(r.responses()).as(r.text()).isEqualTo(1);
      assertThat(r.eof()).as("the connection is closed after the answer").isTrue();
      assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
    }
  }

  // defect 4: a head that never ends
  @Test
  void aSlowHeadIsCut() {
    double before = timedOut("header");
    long start = System.nanoTime();
    try (RawHttp http = new RawHttp(gateway.port())) {
      http.write("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\nX-Slow: ");
      boolean closed = false;
      for (int i = 0; i < 50 && !closed; i++) {
        // one header byte every 200 ms, for up to 10 s
        closed = !http.write("a") || http.poll(200) < 0;
      }
      assertThat(closed).as("a head still unfinished after headerReadTimeout is cut").isTrue();
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 5_000L);
    Await.until(() -> timedOut("header") >= before + 1, 5, "the header timeout counted");
  }

  // defect 4: keep-alive connections with nothing in flight
  @Test
  void anIdleConnectionIsClosedButAnOpenStreamIsNot() {
    String session = mcp.initialize("2025-06-18", new JsonObject());
    try (RawHttp idle = new RawHttp(gateway.port()); RawHttp stream = new RawHttp(gateway.port())) {
      stream.write("GET /mcp HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\nMcp-Session-Id: " + session
          + "\r\nMCP-Protocol-Version: 2025-06-18\r\n\r\n");
      assertThat(stream.readHead(5_000)).startsWith("HTTP/1.1 200");
      long start = System.nanoTime();
      idle.write("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      RawHttp.Read r = idle.readUntilClosed(6_000);
      assertThat(r.responses()).isEqualTo(1);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.eof()).as("an idle keep-alive connection is closed after idleTimeout").isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(1_900L, 5_000L);
      // the GET stream, silent for longer than idleTimeout (no keep-alive comment before 30 s), is still open
      assertThat(stream.poll(1_000)).as("an open SSE stream is not idle").isZero();
    }
    assertThat(timedOut("idle")).isGreaterThanOrEqualTo(1);
  }

  // defect 6
  @Test
  void aRebindingHostIsRefusedEverywhere() {
    List<String> paths = List.of("/metrics", "/readyz", "/healthz", "/admin/pool", "/.well-known/oauth-protected-resource");
    for (String path : paths) {
      RawHttp.Read r = RawHttp.exchange(gateway.port(), "GET", path, "rebind.attacker.example:" + gateway.port());
      assertThat(r.status()).as(path).isEqualTo(403);
      assertThat(r.header("Content-Type")).startsWith("application/json");
      assertThat(r.json().getString("error")).isNotBlank();
    }
    String init = RawMcp.statelessRequest(1, "tools/list", null).encode();
    try (RawHttp http = new RawHttp(gateway.port())) {
      String head = post("/mcp", "Content-Length: " + init.length());
      http.write(head.replace("Host: " + host, "Host: rebind.attacker.example") + init);
      RawHttp.Read r = http.readUntilClosed(3_000);
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.json().getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    }
    for (String allowed : List.of(host, "localhost:" + gateway.port(), "LOCALHOST", "[::1]:" + gateway.port(),
        "10.1.2.3:8080")) {
      RawHttp.Read r = RawHttp.exchange(gateway.port(), "GET", "/healthz", allowed);
      assertThat(r.status()).as(allowed).isEqualTo(200);
    }
  }

  // defect 7
  @Test
  void anOversizedBodyGets413WithAJsonRpcError() {
    String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\""
        + "x".repeat(5 * 1024 * 1024) + "\"}}";
    RawMcp.Reply r = mcp.post(postHeaders(), huge);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.headers().get("Content-Type")).startsWith("application/json");
    assertThat(r.error().getInteger("code")).isEqualTo(-32600);
    assertThat(r.last().getValue("id")).isNull();
    try (RawHttp http = new RawHttp(gateway.port())) {
      http.write(post("/mcp", "Transfer-Encoding: chunked"));
      String chunk = "x".repeat(64 * 1024);
      String framed = Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n";
      boolean open = true;
      for (int i = 0; i < 80 && open; i++) {
        open = http.write(framed);
      }
      http.write("0\r\n\r\n");
      RawHttp.Read c = http.readUntilClosed(5_000);
      assertThat(c.status()).isEqualTo(413);
      assertThat(c.json().getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    }
  }

  // defect 7: the router's own refusals (no route, a verb the endpoint has no use for) on MCP paths
  @Test
  void routingRefusalsOnMcpPathsAreJsonRpcErrors() {
    for (String path : List.of("/servers/a/b/mcp", "/v/a/b/mcp", "/servers//mcp")) {
      RawHttp.Read r = RawHttp.exchange(gateway.port(), "POST", path, host, "Content-Type: application/json",
          "Accept: application/json, text/event-stream", "Content-Length: 0");
      assertThat(r.status()).as(path + ": " + r.text()).isEqualTo(404);
      assertThat(r.header("Content-Type")).as(path).startsWith("application/json");
      assertThat(r.json().getJsonObject("error").getInteger("code")).as(path).isEqualTo(-32600);
      assertThat(r.json().containsKey("id")).isTrue();
      assertThat(r.json().getValue("id")).isNull();
    }
    for (String verb : List.of("PUT", "PATCH")) {
      RawHttp.Read r = RawHttp.exchange(gateway.port(), verb, "/mcp", host, "Content-Length: 0");
      assertThat(r.status()).as(verb + ": " + r.text()).isEqualTo(405);
      assertThat(r.json().getJsonObject("error").getInteger("code")).as(verb).isEqualTo(-32600);
      assertThat(r.json().getValue("id")).isNull();
    }
    RawHttp.Read other = RawHttp.exchange(gateway.port(), "GET", "/nowhere", host);
    assertThat(other.status()).isEqualTo(404);
    assertThat(other.body()).doesNotContain("Exception");
  }

  // defect 8
  @Test
  void bodiesOverTheBudgetGet503WhileSmallOnesPass() {
    List<RawHttp> held = new ArrayList<>();
    try {
      double refused = metric("junction_ingress_bodies_refused_total");
      for (int i = 0; i < 2; i++) {
        RawHttp h = new RawHttp(gateway.port());
        held.add(h);
        h.write(post("/mcp", "Content-Length: " + LARGE) + "{\"jsonrpc\":\"2.0\",");
      }
      Await.until(() -> metric("junction_ingress_body_bytes") >= 2 * LARGE, 5, "two large bodies held");
      try (RawHttp third = new RawHttp(gateway.port())) {
        third.write(post("/mcp", "Content-Length: " + LARGE) + "{\"jsonrpc\":\"2.0\",");
        String head = third.readHead(5_000);
        assertThat(head).startsWith("HTTP/1.1 503");
      }
      try (RawHttp chunked = new RawHttp(gateway.port())) {
        chunked.write(post("/mcp", "Transfer-Encoding: chunked"));
        String chunk = "x".repeat(200_000);
        chunked.write(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
        assertThat(chunked.readHead(5_000)).startsWith("HTTP/1.1 503");
      }
      RawMcp.Reply small = mcp.post(postHeaders(), new JsonObject().put("jsonrpc", "2.0").put("id", 7)
          .put("method", "initialize").put("params", new JsonObject().put("protocolVersion", "2025-06-18")
              .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "t")
                  .put("version", "1"))));
      assertThat(small.status()).isEqualTo(200);
      assertThat(metric("junction_ingress_bodies_refused_total")).isGreaterThanOrEqualTo(refused + 2);
    } finally {
      held.forEach(RawHttp::close);
    }
    Await.until(() -> metric("junction_ingress_body_bytes") == 0, 5, "the body gauge back to 0");
  }

  @Test
  void a503OverBudgetCarriesAJsonRpcError() {
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        RawHttp h = new RawHttp(gateway.port());
        held.add(h);
        h.write(post("/mcp", "Content-Length: " + LARGE) + "{");
      }
      Await.until(() -> metric("junction_ingress_body_bytes") >= 2 * LARGE, 5, "two large bodies held");
      String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"pad\":\"" + "y".repeat(200_000) + "\"}";
      try (RawHttp third = new RawHttp(gateway.port())) {
        third.write(post("/mcp", "Content-Length: " + body.length(), "Connection: close") + body);
        RawHttp.Read r = third.readUntilClosed(5_000);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().getJsonObject("error").getInteger("code")).isEqualTo(-32603);
      }
    } finally {
      held.forEach(RawHttp::close);
    }
  }
}
