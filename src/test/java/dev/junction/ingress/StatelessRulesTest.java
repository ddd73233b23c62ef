package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.mcp.ParamHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StatelessRulesTest {
  private static JsonObject call(String name) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
        .put("params", new JsonObject().put("name", name).put("_meta", new JsonObject()
            .put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
            .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())));
  }

  private static MultiMap headers(String method, String name) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("mcp-protocol-version", "2026-07-28");
    if (method != null) {
      h.add("Mcp-Method", method);
    }
    if (name != null) {
      h.add("Mcp-Name", name);
    }
    return h;
  }

  private static JunctionError errorOf(MultiMap h, JsonObject m) {
    try {
      StatelessRules.check(h, m);
      return null;
    } catch (JunctionException e) {
      return e.error();
    }
  }

  @Test
  void acceptsMatchingHeaders() {
    assertThat(errorOf(headers("tools/call", "echo"), call("echo"))).isNull();
  }

  @Test
  void headerMismatchAndMissingHeaders() {
    assertThat(errorOf(headers("tools/list", "echo"), call("echo"))).isEqualTo(JunctionError.HEADER_MISMATCH);
    assertThat(errorOf(headers("tools/call", "other"), call("echo"))).isEqualTo(JunctionError.HEADER_MISMATCH);
    assertThat(errorOf(headers(null, "echo"), call("echo"))).isEqualTo(JunctionError.HEADER_MISMATCH);
    assertThat(errorOf(headers("tools/call", null), call("echo"))).isEqualTo(JunctionError.HEADER_MISMATCH);
    assertThat(JunctionError.HEADER_MISMATCH.code()).isEqualTo(-32020);
  }

  @Test
  void base64HeaderValuesAreDecoded() {
    String name = "héllo";
    String encoded = "=?base64?" + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)) + "?=";
    assertThat(errorOf(headers("tools/call", encoded), call(name))).isNull();
  }

  @Test
  void unsupportedVersionListsTheSupportedOnes() {
    JsonObject m = call("echo");
    m.getJsonObject("params").getJsonObject("_meta").put("io.modelcontextprotocol/protocolVersion", "2099-01-01");
    MultiMap h = headers("tools/call", "echo").set("mcp-protocol-version", "2099-01-01");
    assertThatThrownBy(() -> StatelessRules.check(h, m))
        .isInstanceOfSatisfying(JunctionException.class, e -> {
          assertThat(e.error()).isEqualTo(JunctionError.UNSUPPORTED_PROTOCOL_VERSION);
          JsonObject error = e.response(1).getJsonObject("error");
          assertThat(error.getInteger("code")).isEqualTo(-32022);
          assertThat(error.getJsonObject("data").getString("requested")).isEqualTo("2099-01-01");
          assertThat(error.getJsonObject("data").getJsonArray("supported").getList()).contains("2026-07-28");
        });
  }

  /** The header and the body name different versions: a HeaderMismatch (-32020), whatever the versions. */
  @Test
  void aVersionHeaderThatDisagreesWithTheBodyIsAMismatch() {
    JsonObject m = call("echo");
    m.getJsonObject("params").getJsonObject("_meta").put("io.modelcontextprotocol/protocolVersion", "v999.0.0");
    assertThat(errorOf(headers("tools/call", "echo"), m)).isEqualTo(JunctionError.HEADER_MISMATCH);
  }

  /** No _meta, or no version in it: invalid params (-32602), not a header mismatch. */
  @Test
  void aRequestWithoutTheVersionInMetaHasInvalidParams() {
    JsonObject bare = call("echo");
    bare.getJsonObject("params").remove("_meta");
    assertThat(errorOf(headers("tools/call", "echo"), bare)).isEqualTo(JunctionError.INVALID_PARAMS);
    JsonObject noVersion = call("echo");
    noVersion.getJsonObject("params").getJsonObject("_meta").remove("io.modelcontextprotocol/protocolVersion");
    assertThat(errorOf(headers("tools/call", "echo"), noVersion)).isEqualTo(JunctionError.INVALID_PARAMS);
    assertThat(JunctionError.INVALID_PARAMS.code()).isEqualTo(-32602);
  }

  @Test
  void clientCapabilitiesAreRequired() {
    JsonObject m = call("echo");
    m.getJsonObject("params").getJsonObject("_meta").remove("io.modelcontextprotocol/clientCapabilities");
    assertThat(errorOf(headers("tools/call", "echo"), m)).isEqualTo(JunctionError.INVALID_PARAMS);
  }

  @Test
  void decorationAddsRequiredResultFieldsAndKeepsTheUpstreams() {
    JsonObject response = new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[],\"x\":1}}");
    JsonObject out = StatelessRules.decorate("tools/list", response).getJsonObject("result");
    assertThat(out.getString("resultType")).isEqualTo("complete");
    assertThat(out.getLong("ttlMs")).isZero();
    assertThat(out.getString("cacheScope")).isEqualTo("private");
    assertThat(out.getInteger("x")).isEqualTo(1);
    JsonObject kept = StatelessRules.decorate("tools/list",
        new JsonObject("{\"id\":1,\"result\":{\"ttlMs\":5,\"cacheScope\":\"public\"}}")).getJsonObject("result");
    assertThat(kept.getLong("ttlMs")).isEqualTo(5);
    assertThat(kept.getString("cacheScope")).isEqualTo("public");
    assertThat(StatelessRules.decorate("tools/call", new JsonObject("{\"id\":1,\"result\":{}}"))
        .getJsonObject("result").containsKey("ttlMs")).isFalse();
  }

  @Test
  void aRelayedResultGetsResultTypeWithoutBeingParsed() {
    for (String raw : new String[] {"{\"content\":[{\"type\":\"text\",\"text\":\"resultType\"}]}", "{ }"}) {
      io.vertx.core.json.JsonObject response = new io.vertx.core.json.JsonObject().put("jsonrpc", "2.0").put("id", 1)
          .put("result", new com.fasterxml.jackson.databind.util.RawValue(raw));
      io.vertx.core.json.JsonObject out = new io.vertx.core.json.JsonObject(StatelessRules.decorate("tools/call", response).encode());
      org.assertj.core.api.Assertions.assertThat(out.getJsonObject("result").getString("resultType")).isEqualTo("complete");
      org.assertj.core.api.Assertions.assertThat(out.getJsonObject("result").fieldNames())
          .containsAll(new io.vertx.core.json.JsonObject(raw).fieldNames());
    }
    io.vertx.core.json.JsonObject already = new io.vertx.core.json.JsonObject().put("id", 1)
        .put("result", new com.fasterxml.jackson.databind.util.RawValue("{\"resultType\":\"complete\",\"x\":1}"));
    org.assertj.core.api.Assertions.assertThat(StatelessRules.decorate("tools/call", already)).isSameAs(already);
  }

  @Test
  void paramHeadersAreForwardedOrRefusedWhenMalformed() {
    MultiMap h = headers("tools/call", "echo").add("Mcp-Param-Region", "us-west1");
    assertThat(StatelessRules.paramHeaders(h, ParamHeaders.of(h))).containsEntry("Mcp-Param-Region", "us-west1")
        .hasSize(1);
    assertThat(StatelessRules.paramHeaders(h, null)).isNull();
    MultiMap bad = headers("tools/call", "echo").add("Mcp-Param-Region", "=?base64?SGVsbG8?=");
    assertThatThrownBy(() -> StatelessRules.paramHeaders(bad, ParamHeaders.of(bad)))
        .isInstanceOfSatisfying(JunctionException.class, e -> {
          assertThat(e.error()).isEqualTo(JunctionError.HEADER_MISMATCH);
          assertThat(e.error().status(true)).isEqualTo(400);
        });
  }
}
