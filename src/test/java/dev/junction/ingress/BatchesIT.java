package dev.junction.ingress;

import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.RawMcp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JSON-RPC batches (2025-03-26 only): each element is relayed to server-everything and the answers
 * come back batched, as a JSON array or, when a call streams progress first, as one SSE stream; later
 * revisions and initialize get -32600.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchesIT {
  private static Gateway gateway;
  private static RawMcp mcp;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    gateway = Gateway.start(new JsonObject().put("everything", new JsonObject().put("transport", "stdio")
        .put("command", new JsonArray(Node.everythingStdio()))));
    mcp = new RawMcp(gateway.url("/servers/everything/mcp"));
  }

  @AfterAll
  static void stop() {
    mcp.close();
    gateway.close();
  }

  private static JsonObject request(Object id, String method, JsonObject params) {
    JsonObject r = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method);
    return params == null ? r : r.put("params", params);
  }

  private static JsonObject echo(Object id, String text) {
    return request(id, "tools/call", new JsonObject().put("name", "echo")
        .put("arguments", new JsonObject().put("message", text)));
  }

  @Test
  void eachElementIsRelayedAndTheAnswersComeBackBatched() {
    String session = mcp.initialize("2025-03-26", new JsonObject());
    JsonArray batch = new JsonArray()
        .add(echo(1, "one"))
        .add(request("two", "tools/list", null))
        .add(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/roots/list_changed"))
        .add(new JsonObject().put("jsonrpc", "1.0").put("id", 4).put("method", "ping"))
        .add(echo(5, "five"));
    RawMcp.Reply r = mcp.post(sessionHeaders(session, "2025-03-26"), batch.encode());
    assertThat(r.status()).isEqualTo(200);
    List<JsonObject> byId = answers(r);
    assertThat(byId).hasSize(4);
    // ids keep their JSON type
    assertThat(byId).anySatisfy(a -> {
      assertThat(a.getValue("id")).isEqualTo(1);
      assertThat(a.getJsonObject("result").encode()).contains("Echo: one");
    });
    assertThat(byId).anySatisfy(a -> {
      assertThat(a.getValue("id")).isEqualTo("two");
      assertThat(a.getJsonObject("result").getJsonArray("tools")).isNotEmpty();
    });
    assertThat(byId).anySatisfy(a -> {
      assertThat(a.getValue("id")).isEqualTo(4);
      assertThat(a.getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    });
    assertThat(byId).anySatisfy(a -> assertThat(a.encode()).contains("Echo: five"));
  }

  @Test
  void aBatchWhoseCallStreamsProgressBecomesOneSseStream() {
    String session = mcp.initialize("2025-03-26", new JsonObject());
    JsonObject longRun = request(7, "tools/call", new JsonObject().put("name", "trigger-long-running-operation")
        .put("arguments", new JsonObject().put("duration", 1).put("steps", 2))
        .put("_meta", new JsonObject().put("progressToken", "p7")));
    RawMcp.Reply r = mcp.post(sessionHeaders(session, "2025-03-26"), new JsonArray().add(longRun).add(echo(8, "x"))
        .encode());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("Content-Type")).startsWith("text/event-stream");
    assertThat(r.messages()).anySatisfy(m -> assertThat(m.getString("method")).isEqualTo("notifications/progress"));
    assertThat(r.messages()).anySatisfy(m -> assertThat(m.getValue("id")).isEqualTo(7));
    assertThat(r.messages()).anySatisfy(m -> assertThat(m.getValue("id")).isEqualTo(8));
    // the answer of the call comes after its progress
    int progress = indexOf(r.messages(), "notifications/progress", null);
    assertThat(progress).isLessThan(indexOf(r.messages(), null, 7));
  }

  /**
   * The responses of a batch: the JSON array, or the SSE stream's responses (server-everything may
   * send a log notification during any call, which turns the answer into a stream).
   */
  private static List<JsonObject> answers(RawMcp.Reply r) {
    if (r.headers().get("Content-Type").startsWith("application/json")) {
      return new JsonArray(r.body()).stream().map(JsonObject.class::cast).collect(Collectors.toList());
    }
    return r.messages().stream().filter(m -> m.getString("method") == null).collect(Collectors.toList());
  }

  @Test
  void answersWithoutEventsComeAsOneJsonArray() {
    String session = mcp.initialize("2025-03-26", new JsonObject());
    RawMcp.Reply r = mcp.post(sessionHeaders(session, "2025-03-26"),
        new JsonArray().add(request(1, "ping", null)).add(request("b", "prompts/list", null)).encode());
    assertThat(r.status()).isEqualTo(200);
    if (!r.headers().get("Content-Type").startsWith("application/json")) {
      // only an event sent during the calls (server-everything logs now and then) makes it a stream
      assertThat(r.messages()).anySatisfy(m -> assertThat(m.getString("method")).isNotNull());
    }
    List<JsonObject> answers = answers(r);
    assertThat(answers).hasSize(2);
    assertThat(answers.stream().map(a -> a.getValue("id")).toList()).containsExactlyInAnyOrder(1, "b");
  }

  private static int indexOf(List<JsonObject> messages, String method, Object id) {
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.get(i);
      if (method != null ? method.equals(m.getString("method")) : id.equals(m.getValue("id"))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aBatchOfNotificationsGets202() {
    String session = mcp.initialize("2025-03-26", new JsonObject());
    JsonObject note = new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/roots/list_changed");
    RawMcp.Reply r = mcp.post(sessionHeaders(session, "2025-03-26"), new JsonArray().add(note).add(note).encode());
    assertThat(r.status()).isEqualTo(202);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void laterRevisionsAndInitializeAreRefused() {
    String session = mcp.initialize("2025-06-18", new JsonObject());
    RawMcp.Reply later = mcp.post(sessionHeaders(session, "2025-06-18"), new JsonArray().add(echo(1, "a")).encode());
    assertThat(later.status()).isEqualTo(400);
    assertThat(later.error().getInteger("code")).isEqualTo(-32600);
    RawMcp.Reply init = mcp.post(RawMcp.postHeaders(), new JsonArray().add(request(1, "initialize",
        new JsonObject().put("protocolVersion", "2025-03-26"))).encode());
    assertThat(init.status()).isEqualTo(400);
    assertThat(init.error().getInteger("code")).isEqualTo(-32600);
    String old = mcp.initialize("2025-03-26", new JsonObject());
    RawMcp.Reply empty = mcp.post(sessionHeaders(old, "2025-03-26"), "[]");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.error().getInteger("code")).isEqualTo(-32600);
  }
}
