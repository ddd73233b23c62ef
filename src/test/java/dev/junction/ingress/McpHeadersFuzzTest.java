package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMeta;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.testkit.FuzzInput;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes the MCP headers of a POST together with its body, through the checks the ingress makes
 * after the envelope (as {@link PostHandler} does): {@code MCP-Protocol-Version}, {@code Mcp-Method},
 * {@code Mcp-Name} in plain and base64 form against the body (2026-07-28), the session id's shard and
 * {@code traceparent}. The input reads as a small HTTP request ({@link FuzzInput}). Only a
 * {@link JunctionException} with a documented error may come out; a request whose headers are built
 * from its own body must never be refused as a header mismatch. Seeds and past findings:
 * {@code src/test/resources/dev/junction/ingress/McpHeadersFuzzTestInputs/headers}.
 */
class McpHeadersFuzzTest {
  private static final int SHARDS = 4;
  private static final OriginPolicy ORIGINS = new OriginPolicy(List.of("https://app.example"));
  private static final Set<JunctionError> STATELESS_ERRORS = Set.of(JunctionError.UNSUPPORTED_PROTOCOL_VERSION,
      JunctionError.HEADER_MISMATCH, JunctionError.INVALID_PARAMS);

  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"MCP-Protocol-Version: ", "Mcp-Method: ", "Mcp-Name: ", "Mcp-Session-Id: ", "traceparent: ",
      "2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "=?base64?", "?=", "tools/call",
      "resources/read", "prompts/get", "\"_meta\"", "\"io.modelcontextprotocol/protocolVersion\"",
      "\"io.modelcontextprotocol/clientCapabilities\"", "\"name\"", "\"uri\"", "\"method\"", "Origin: ",
      "http://localhost", "http://[::1]"})
  void headers(byte[] input) {
    FuzzInput request = FuzzInput.parse(input);
    MultiMap headers = request.headers();
    JsonObject message;
    try {
      if (!(Json.decodeValue(request.body()) instanceof JsonObject o) || JsonRpc.envelopeProblem(o) != null) {
        return; // refused before these checks
      }
      message = o;
    } catch (DecodeException e) {
      return;
    }
    ORIGINS.allows(headers.get("Origin"));
    sessionIdShard(headers.get(McpMeta.HEADER_SESSION_ID));
    traceparent(headers.get("traceparent"));
    if (StatelessRules.isStateless(headers, message)) {
      try {
        StatelessRules.check(headers, message);
        assertThat(JsonRpc.isResponse(message) || JsonRpc.isNotification(message)
            || headers.get(McpMeta.HEADER_METHOD) != null).isTrue();
      } catch (JunctionException e) {
        assertThat(e.error()).isIn(STATELESS_ERRORS);
        assertThat(e.response(message.getValue("id")).encode()).isNotEmpty();
      }
      agreeingHeadersPass(message);
    } else {
      String version = ProtocolVersion.negotiate(JsonRpc.params(message).getString("protocolVersion"));
      assertThat(ProtocolVersion.isSessionBased(version)).isTrue();
      String header = headers.get(McpMeta.HEADER_PROTOCOL_VERSION);
      if (header != null && !ProtocolVersion.isSessionBased(header)) {
        JunctionException e = StatelessRules.unsupported(header);
        assertThat(e.error().code()).isEqualTo(-32022);
      }
    }
  }

  private static void sessionIdShard(String sessionId) {
    if (sessionId == null) {
      return;
    }
    int shard = SessionHandler.shardOf(sessionId, SHARDS);
    assertThat(shard).isBetween(-1, SHARDS - 1);
    if (shard >= 0) {
      assertThat(sessionId).contains(".");
    }
  }

  private static void traceparent(String incoming) {
    String child = TraceContext.child(incoming);
    if (child != null) {
      assertThat(child).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
      assertThat(child.substring(0, 35)).isEqualTo(incoming.trim().substring(0, 35));
    }
  }

  /** False for a string with a lone surrogate, which no UTF-8 header can carry. */
  private static boolean encodable(String s) {
    return StandardCharsets.UTF_8.newEncoder().canEncode(s);
  }

  /** The headers a correct 2026-07-28 client sends for this body, Mcp-Name in base64: never a mismatch. */
  private static void agreeingHeadersPass(JsonObject message) {
    if (!JsonRpc.isRequest(message)) {
      return;
    }
    String method = message.getString("method");
    JsonObject params = JsonRpc.params(message);
    // a name that is not a string names nothing (JsonObject.getString would turn {} into "{}")
    Object named = params.getValue("resources/read".equals(method) ? "uri" : "name");
    String name = named instanceof String s ? s : null;
    MultiMap agreeing = MultiMap.caseInsensitiveMultiMap()
        .add(McpMeta.HEADER_METHOD, method)
        .add(McpMeta.HEADER_PROTOCOL_VERSION, ProtocolVersion.V2026_07_28);
    if (name != null) {
      agreeing.add(McpMeta.HEADER_NAME,
          "=?base64?" + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)) + "?=");
    }
    JsonObject meta = params.getJsonObject("_meta");
    String bodyVersion = meta == null ? null : meta.getString(McpMeta.META_PROTOCOL_VERSION);
    try {
      StatelessRules.check(agreeing, message);
    } catch (JunctionException e) {
      boolean nameNeeded = Set.of("tools/call", "resources/read", "prompts/get").contains(method);
      switch (e.error()) {
        case UNSUPPORTED_PROTOCOL_VERSION -> assertThat(bodyVersion).isNotEqualTo(ProtocolVersion.V2026_07_28);
        case HEADER_MISMATCH -> {
          // only a body without the version in _meta, without a name to repeat, or one that no header can carry
          if (ProtocolVersion.V2026_07_28.equals(bodyVersion) && (!nameNeeded || name != null && encodable(name))
              && !(method.startsWith("=?base64?") && method.endsWith("?="))) {
            fail("agreeing headers refused: " + e.getMessage());
          }
        }
        case INVALID_PARAMS -> assertThat(bodyVersion == null || !meta.containsKey(McpMeta.META_CLIENT_CAPABILITIES))
            .isTrue();
        default -> fail("undocumented error " + e.error());
      }
    }
  }
}
