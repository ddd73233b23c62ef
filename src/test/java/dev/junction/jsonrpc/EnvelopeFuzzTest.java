package dev.junction.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.junction.testkit.FuzzInput;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the reading of an upstream's answer with {@code result} kept as raw bytes ({@link Envelope},
 * {@link RawJson}) against the plain JSON decoder: {@link Envelope#withRawResult} never throws; on valid
 * UTF-8 it answers null whenever the bytes are not one JSON object (the transport then decodes them as
 * usual), and otherwise yields the same message, which encodes (raw result and all) to JSON that decodes
 * to the same message again. Seeds and past findings:
 * {@code src/test/resources/dev/junction/jsonrpc/EnvelopeFuzzTestInputs/answer}.
 */
class EnvelopeFuzzTest {
  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"\"jsonrpc\"", "\"2.0\"", "\"id\"", "\"result\"", "\"error\"", "\"resultType\"", "{}", "[]",
      "null", "1e400", "-0", "\"\\u0000\"", "\"\\ud800\""})
  void answer(byte[] input) {
    JsonObject raw = Envelope.withRawResult(Buffer.buffer(input));
    Object plain;
    try {
      plain = Json.decodeValue(Buffer.buffer(input));
    } catch (DecodeException e) {
      plain = null;
    }
    if (!FuzzInput.utf8(input)) {
      // invalid UTF-8 in member names: one reader drops or replaces the bad bytes where the other refuses
      // them, so the readings are not compared; a kept result holds the upstream's bytes as they came
      return;
    }
    if (!(plain instanceof JsonObject expected)) {
      assertThat(raw).as("not one JSON object").isNull();
      return;
    }
    if (raw == null) {
      return; // stricter than the decoder (no comments): the transport then decodes it the usual way
    }
    JsonObject result = Envelope.result(raw);
    if (expected.getValue("result") instanceof JsonObject r) {
      assertThat(Envelope.rawResult(raw)).isTrue();
      assertThat(result).isEqualTo(r);
      byte[] bytes = Envelope.bytes((RawValue) raw.getValue("result"));
      assertThat(Envelope.hasMember(bytes, "resultType")).isEqualTo(r.containsKey("resultType"));
    }
    String encoded = expected.encode();
    if (!encoded.contains("Infinity")) {
      // a number past double's range decodes as Infinity and encodes as a string, where a kept result keeps it
      assertThat(new JsonObject(raw.encode())).isEqualTo(new JsonObject(encoded));
    }
  }

}
