package dev.junction.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonRpcTest {
  @Test
  void classifiesMessages() {
    assertThat(JsonRpc.isRequest(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))).isTrue();
    assertThat(JsonRpc.isNotification(new JsonObject("{\"jsonrpc\":\"2.0\",\"method\":\"n\"}"))).isTrue();
    assertThat(JsonRpc.isResponse(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"))).isTrue();
  }

  @Test
  void envelopeProblems() {
    assertThat(JsonRpc.envelopeProblem(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"ping\"}"))).isNull();
    assertThat(JsonRpc.envelopeProblem(new JsonObject("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}"))).contains("jsonrpc");
    assertThat(JsonRpc.envelopeProblem(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}"))).contains("id");
    assertThat(JsonRpc.envelopeProblem(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}"))).contains("id");
    assertThat(JsonRpc.envelopeProblem(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}"))).contains("method");
    assertThat(JsonRpc.envelopeProblem(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1}"))).contains("neither");
    assertThat(JsonRpc.envelopeProblem(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[1]}"))).contains("params");
  }

  @Test
  void answerableIdIsTheIdOnlyWhenTheSpecAllowsIt() {
    assertThat(JsonRpc.answerableId(new JsonObject("{\"id\":\"x\"}"))).isEqualTo("x");
    assertThat(JsonRpc.answerableId(new JsonObject("{\"id\":7}"))).isEqualTo(7);
    assertThat(JsonRpc.answerableId(new JsonObject("{\"id\":1.5}"))).isNull();
    assertThat(JsonRpc.answerableId(new JsonObject("{\"id\":{\"a\":1}}"))).isNull();
    assertThat(JsonRpc.answerableId(new JsonObject("{\"method\":\"n\"}"))).isNull();
    assertThat(JsonRpc.answerableId(null)).isNull();
  }

  @Test
  void shallowCopyLeavesTheOriginalAlone() {
    JsonObject original = new JsonObject("{\"name\":\"a\",\"x-unknown\":{\"deep\":true}}");
    JsonObject copy = JsonRpc.shallowCopy(original).put("name", "b");
    assertThat(original.getString("name")).isEqualTo("a");
    assertThat(copy.getJsonObject("x-unknown").getBoolean("deep")).isTrue();
  }
}
