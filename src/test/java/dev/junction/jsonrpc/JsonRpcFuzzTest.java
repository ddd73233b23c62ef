package dev.junction.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.error.JunctionError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Fuzzes the JSON-RPC envelope as the ingress reads a POST body: parse, {@link JsonRpc#envelopeProblem},
 * then every read the gateway makes of a message that passed (params, {@code _meta}, progress token, id).
 * Only {@link DecodeException} may come out of parsing; an envelope that passes must be exactly one of
 * request, notification and response, and reading it must not fail. Seeds and past findings:
 * {@code src/test/resources/dev/junction/jsonrpc/JsonRpcFuzzTestInputs/envelope}.
 */
class JsonRpcFuzzTest {
  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"\"jsonrpc\"", "\"2.0\"", "\"id\"", "\"method\"", "\"params\"", "\"result\"", "\"error\"",
      "\"_meta\"", "\"progressToken\"", "\"name\"", "\"uri\"", "null", "true", "-1", "1e400", "18446744073709551616",
      "{}", "[]", "\"tools/call\"", "\"initialize\""})
  void envelope(byte[] body) {
    Object parsed;
    try {
      parsed = Json.decodeValue(Buffer.buffer(body));
    } catch (DecodeException e) {
      return; // answered with -32700
    }
    if (!(parsed instanceof JsonObject message)) {
      return; // a batch or a scalar: answered with -32600
    }
    String problem = JsonRpc.envelopeProblem(message);
    Object id = message.getValue("id");
    if (problem != null) {
      // the error answer echoes the id only when it is a valid one
      JsonObject answer = JunctionError.INVALID_REQUEST.response(JsonRpc.validId(id) ? id : null, problem, null);
      assertThat(new JsonObject(answer.encode()).getJsonObject("error").getInteger("code")).isEqualTo(-32600);
      return;
    }
    int kinds = (JsonRpc.isRequest(message) ? 1 : 0) + (JsonRpc.isNotification(message) ? 1 : 0)
        + (JsonRpc.isResponse(message) ? 1 : 0);
    assertThat(kinds).as("request, notification or response").isEqualTo(1);
    if (message.containsKey("id")) {
      assertThat(JsonRpc.validId(id)).isTrue();
      assertThat(JsonRpc.sameId(id, id)).isTrue();
    }
    JsonObject params = JsonRpc.params(message);
    params.getJsonObject("_meta");
    JsonRpc.progressToken(params);
    params.getString("name");
    params.getString("uri");
    JsonObject copy = JsonRpc.shallowCopy(message).put("id", "x");
    assertThat(message.getValue("id")).isEqualTo(id);
    assertThat(copy.encode()).isNotEmpty();
  }
}
