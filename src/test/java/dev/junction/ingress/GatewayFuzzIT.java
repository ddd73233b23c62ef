package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.testkit.FuzzInput;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.StubMcpServer;
import dev.junction.upstream.sse.SseParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes a running gateway over HTTP: method, path, headers and body of a request to an MCP endpoint
 * (read as a small HTTP request, {@link FuzzInput}), with a real upstream behind it. Every answer
 * must come within 10 s with a status the README lists, and a body that is a well-formed JSON-RPC
 * result or error (as JSON or as SSE events): never a 500, plain text or a stack trace. Framing
 * headers (Content-Length, Transfer-Encoding, Host, Connection) are left to the client. Seeds and
 * past findings: {@code src/test/resources/dev/junction/ingress/GatewayFuzzITInputs/request}.
 */
class GatewayFuzzIT {
  private static final Set<Integer> STATUSES = Set.of(200, 202, 400, 401, 403, 404, 405, 406, 409, 413, 415, 429);
  private static final Set<String> PATHS = Set.of("/mcp", "/servers/stub/mcp", "/servers/nope/mcp");
  private static final Set<String> METHODS = Set.of("POST", "GET", "DELETE", "PUT", "PATCH", "OPTIONS");
  private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "host", "connection",
      "upgrade", "te", "keep-alive", "expect", "trailer");
  private static final String[] QUIET = {"dev.junction", "junction.access", "io.vertx"};

  private static StubMcpServer stub;
  private static Gateway gateway;
  private static Vertx vertx;
  private static WebClient client;
  private static final List<Level> levels = new ArrayList<>();

  @BeforeAll
  static void start() {
    // a log line per request would drown the fuzzer's output; failures carry the request and answer
    for (String name : QUIET) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      levels.add(logger.getLevel());
      logger.setLevel(Level.ERROR);
    }
    stub = StubMcpServer.start().withoutRecording();
    gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())));
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gateway.port()).setIdleTimeout(0));
  }

  @AfterAll
  static void stop() {
    client.close();
    vertx.close().await();
    gateway.close();
    stub.close();
    for (int i = 0; i < QUIET.length; i++) {
      ((Logger) LoggerFactory.getLogger(QUIET[i])).setLevel(levels.get(i));
    }
  }

  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"POST /mcp", "GET /mcp", "DELETE /mcp", "POST /servers/stub/mcp", "Content-Type: ",
      "application/json", "Accept: ", "text/event-stream", "MCP-Protocol-Version: ", "2026-07-28", "2025-11-25",
      "Mcp-Method: ", "Mcp-Name: ", "=?base64?", "Mcp-Session-Id: ", "0.", "Origin: ", "http://localhost",
      "\"jsonrpc\":\"2.0\"", "\"method\"", "\"params\"", "\"_meta\"", "\"id\"", "\"initialize\"", "\"tools/call\"",
      "\"tools/list\"", "\"echo\"", "\"io.modelcontextprotocol/protocolVersion\"",
      "\"io.modelcontextprotocol/clientCapabilities\"", "\"capabilities\"", "\"clientInfo\"", "\"protocolVersion\""})
  void request(byte[] input) {
    FuzzInput in = FuzzInput.parse(input);
    String method = METHODS.contains(in.method()) ? in.method() : "POST";
    String path = PATHS.contains(in.path()) ? in.path() : "/mcp";
    var req = client.request(HttpMethod.valueOf(method), path).timeout(10_000);
    in.headers().forEach((name, value) -> {
      if (!FRAMING.contains(name.toLowerCase())) {
        req.headers().add(name, value);
      }
    });
    HttpResponse<Buffer> resp = req.sendBuffer(in.body()).await();
    String what = method + " " + path + " " + in.headers().entries() + " " + in.body() + " -> " + resp.statusCode()
        + " " + resp.headers().entries() + " " + resp.bodyAsString();
    assertThat(STATUSES).as(what).contains(resp.statusCode());
    Buffer body = resp.body() == null ? Buffer.buffer() : resp.body();
    if (body.length() == 0) {
      assertThat(resp.statusCode()).as(what).isIn(200, 202);
      return;
    }
    String type = resp.getHeader("Content-Type");
    List<JsonObject> messages = new ArrayList<>();
    try {
      if (type != null && type.startsWith("text/event-stream")) {
        new SseParser(e -> messages.add(new JsonObject(e.data()))).handle(body);
      } else {
        assertThat(type).as(what).startsWith("application/json");
        messages.add(new JsonObject(body));
      }
    } catch (DecodeException | ClassCastException e) {
      throw new AssertionError("not JSON-RPC: " + what, e);
    }
    assertThat(messages).as(what).isNotEmpty();
    for (JsonObject m : messages) {
      assertThat(m.getValue("jsonrpc")).as(what).isEqualTo("2.0");
    }
    JsonObject last = messages.get(messages.size() - 1);
    assertThat(last.containsKey("result") != last.containsKey("error")).as(what).isTrue();
    if (last.containsKey("error")) {
      JsonObject error = last.getJsonObject("error");
      assertThat(error.getValue("code")).as(what).isInstanceOf(Integer.class);
      assertThat(error.getValue("message")).as(what).isInstanceOf(String.class);
      // a message may quote what the client sent (an unsupported version header, say); only a
      // class name the client did not write is a leak
      boolean quoted = in.body().toString().contains("Exception")
          || in.headers().entries().stream().anyMatch(h -> h.getValue().contains("Exception"));
      if (!quoted) {
        assertThat(error.getString("message")).as(what).doesNotContain("Exception").doesNotContain("\tat ");
      }
    }
  }
}
