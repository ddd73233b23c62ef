package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.jsonrpc.Envelope;
import dev.junction.testkit.FuzzInput;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes what the ingress does to an upstream's answer for a 2026-07-28 client
 * ({@link StatelessRules#decorate}), on answers read as the transport reads them (result kept raw):
 * nothing is thrown, the result gets {@code resultType} (and caching hints on cacheable methods) and
 * keeps every member it had, and the answer still encodes to valid JSON. Seeds and past findings:
 * {@code src/test/resources/dev/junction/ingress/StatelessResultFuzzTestInputs/decorate}.
 */
class StatelessResultFuzzTest {
  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"\"result\"", "\"resultType\"", "\"ttlMs\"", "\"cacheScope\"", "\"id\"", "{}", "{ }", "[]"})
  void decorate(byte[] input) {
    JsonObject raw = Envelope.withRawResult(Buffer.buffer(input));
    if (raw == null) {
      return; // the transport reports an answer that is not a JSON object as an upstream fault
    }
    // the transport keeps the result raw for tools/call only; other answers are decoded
    Object decoded;
    try {
      decoded = Json.decodeValue(Buffer.buffer(input));
    } catch (DecodeException e) {
      decoded = null;
    }
    for (String method : new String[] {"tools/call", "tools/list"}) {
      if (!"tools/call".equals(method) && !(decoded instanceof JsonObject)) {
        continue; // the transport reports it as an upstream fault
      }
      JsonObject answer = "tools/call".equals(method) ? raw : (JsonObject) decoded;
      if (!FuzzInput.utf8(input) && answer == raw) {
        StatelessRules.decorate(method, answer).toBuffer();
        continue; // the decoder refuses what a kept result holds as bytes: no reading to compare with
      }
      JsonObject before = Envelope.result(answer);
      JsonObject decorated = StatelessRules.decorate(method, answer);
      JsonObject reread = new JsonObject(decorated.encode());
      if (before == null) {
        assertThat(reread.getValue("result")).isEqualTo(answer.getValue("result"));
        continue;
      }
      JsonObject result = reread.getJsonObject("result");
      assertThat(result.getValue("resultType")).isEqualTo(before.getValue("resultType", "complete"));
      if ("tools/list".equals(method)) {
        assertThat(result.containsKey("ttlMs")).isTrue();
        assertThat(result.containsKey("cacheScope")).isTrue();
      }
      if (!FuzzInput.utf8(input)) {
        continue; // member names with invalid UTF-8 stay bytes in a relayed result but are decoded here
      }
      for (String name : before.fieldNames()) {
        assertThat(result.getValue(name)).as(name).isEqualTo(before.getValue(name));
      }
    }
  }

}
