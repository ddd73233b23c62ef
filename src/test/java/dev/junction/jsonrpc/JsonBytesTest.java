package dev.junction.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.util.RawValue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request path's codec reads and writes what Vert.x's databind codec does. */
class JsonBytesTest {
  private static final List<String> SAMPLES = List.of(
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"a_echo\",\"arguments\":{}}}",
      "{\"id\":\"x\",\"n\":[1,-2,3.25,1.0E10,12345678901234,123456789012345678901234567890,true,false,null]}",
      "{\"text\":\"h\\u00e9 \\u4e16\\u754c \\ud83d\\ude00 \\\"q\\\" \\\\ \\n\\t\",\"empty\":{},\"list\":[]}",
      "[{\"id\":1,\"result\":{}},{\"id\":2,\"error\":{\"code\":-32601,\"message\":\"no\"}}]",
      "\"just a string\"", "42", "null");

  @Test
  void decodesAsVertxDoes() {
    for (String sample : SAMPLES) {
      Buffer bytes = Buffer.buffer(sample);
      assertThat(JsonBytes.decode(bytes)).as(sample).isEqualTo(Json.decodeValue(bytes));
    }
    Object big = ((JsonObject) JsonBytes.decode(Buffer.buffer(SAMPLES.get(1)))).getJsonArray("n").getValue(5);
    assertThat(big).isEqualTo(new BigInteger("123456789012345678901234567890"));
  }

  @Test
  void encodesAsVertxDoes() {
    for (String sample : SAMPLES) {
      Object value = Json.decodeValue(sample);
      assertThat(JsonBytes.encode(value).toString()).as(sample).isEqualTo(Json.encode(value));
    }
  }

  @Test
  void readsOnlyTheBytesOfASlice() {
    Buffer framed = Buffer.buffer("xx{\"id\":1}yy");
    assertThat(JsonBytes.decode(framed.slice(2, 10))).isEqualTo(new JsonObject().put("id", 1));
    byte[] raw = "..[1,2]..".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonBytes.decode(raw, 2, 5)).isEqualTo(new JsonArray().add(1).add(2));
  }

  @Test
  void refusesWhatIsNotOneJsonValue() {
    for (String bad : List.of("", "{", "{\"id\":1} trailing", "{\"id\":1}{}", "[1,]", "{'id':1}", "nope")) {
      assertThatThrownBy(() -> JsonBytes.decode(Buffer.buffer(bad))).as(bad).isInstanceOf(DecodeException.class);
    }
  }

  @Test
  void rawValuesAreWrittenAsTheyAreAtAnyDepth() {
    String result = "{\"content\":[{\"type\":\"text\",\"text\":\"h\u00e9 \\u00e9\"}],\"n\":1.50}";
    RawValue raw = new RawValue(new RawJson(result.getBytes(StandardCharsets.UTF_8)));
    JsonObject answer = new JsonObject().put("jsonrpc", "2.0").put("id", 3).put("result", raw);
    assertThat(JsonBytes.encode(answer).toString())
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":" + result + "}");
    // in a batch's array, too
    assertThat(JsonBytes.encode(new JsonArray().add(answer)).toString())
        .isEqualTo("[{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":" + result + "}]");
    assertThat(JsonBytes.encode(new JsonObject().put("r", new RawValue("[1, 2]"))).toString())
        .isEqualTo("{\"r\":[1, 2]}");
  }
}
