package dev.junction.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  @Test
  void theResultStaysTheUpstreamsBytesAndTheRestIsParsed() {
    String text = "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"h\\u00e9 \\\"q\\\"\"}],\"x-new\":{\"deep\":[1,2.5,null]}},"
        + "\"jsonrpc\":\"2.0\",\"id\":42}";
    JsonObject m = Envelope.withRawResult(Buffer.buffer(text));
    assertThat(m.getString("jsonrpc")).isEqualTo("2.0");
    assertThat(m.getValue("id")).isEqualTo(42);
    assertThat(Envelope.rawResult(m)).isTrue();
    // encoded, the result is the upstream's text exactly; read, it is the same JSON
    assertThat(m.put("id", "client-7").encode()).contains(text.substring(10, text.indexOf(",\"jsonrpc\"")));
    assertThat(Envelope.result(m)).isEqualTo(new JsonObject(text).getJsonObject("result"));
    assertThat(new JsonObject(m.encode()).getJsonObject("result")).isEqualTo(new JsonObject(text).getJsonObject("result"));
  }

  @Test
  void errorsAndOddInputAreReadTheUsualWay() {
    JsonObject error = Envelope.withRawResult(Buffer.buffer(
        "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":-32602,\"message\":\"bad\",\"data\":[true,false]}}"));
    assertThat(error.getJsonObject("error").getInteger("code")).isEqualTo(-32602);
    assertThat(error.getJsonObject("error").getJsonArray("data").getBoolean(1)).isFalse();
    assertThat(Envelope.rawResult(error)).isFalse();
    assertThat(Envelope.withRawResult(Buffer.buffer("[1,2]"))).isNull();
    assertThat(Envelope.withRawResult(Buffer.buffer("{\"id\":1,"))).isNull();
    assertThat(Envelope.withRawResult(Buffer.buffer("{\"id\":1} trailing"))).isNull();
    assertThat(Envelope.withRawResult(Buffer.buffer("{\"id\":12345678901234,\"result\":{}}")).getValue("id")).isEqualTo(12345678901234L);
  }

  @Test
  void utf8BytesAreWrittenBackExactly() {
    byte[] in = "{\"id\":1,\"result\":{\"text\":\"h\u00e9 \u4e16\u754c \ud83d\ude00\",\"n\":1.50}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    JsonObject m = Envelope.withRawResult(Buffer.buffer(in));
    String out = m.toBuffer().toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(out).contains("{\"text\":\"h\u00e9 \u4e16\u754c \ud83d\ude00\",\"n\":1.50}");
  }

  @Test
  void onlyTopLevelMembersCount() {
    assertThat(Envelope.hasMember("{\"a\":{\"resultType\":1},\"b\":\"\\\"resultType\\\"\"}".getBytes(), "resultType")).isFalse();
    assertThat(Envelope.hasMember("{\"a\":[1],\"resultType\":\"complete\"}".getBytes(), "resultType")).isTrue();
  }
}
