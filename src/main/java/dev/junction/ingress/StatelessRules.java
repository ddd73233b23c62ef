package dev.junction.ingress;

import com.fasterxml.jackson.databind.util.RawValue;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.jsonrpc.Envelope;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.jsonrpc.RawJson;
import dev.junction.mcp.McpMeta;
import dev.junction.mcp.McpMethod;
import dev.junction.mcp.ParamHeaders;
import dev.junction.mcp.ProtocolVersion;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The 2026-07-28 request checks (basic/transports/streamable-http, "Server Validation"; basic,
 * "_meta") and the result fields that revision requires. Pure functions.
 */
final class StatelessRules {

  private StatelessRules() {
  }

  /** A request a 2026-07-28 client may send (ClientRequest in schema/2026-07-28) and the gateway serves. */
  static boolean served(String method) {
    McpMethod m = McpMethod.of(method);
    return m != null && m.stateless();
  }

  /** Results that must carry caching hints (server/utilities/caching). */
  private static boolean cacheable(String method) {
    McpMethod m = McpMethod.of(method);
    return m != null && m.cacheable();
  }

  /** True when the request speaks (or tries to speak) the stateless revision. */
  static boolean isStateless(MultiMap headers, JsonObject message) {
    if (ProtocolVersion.V2026_07_28.equals(headers.get(McpMeta.HEADER_PROTOCOL_VERSION))) {
      return true;
    }
    JsonObject meta = JsonRpc.params(message).getJsonObject("_meta");
    return meta != null && meta.containsKey(McpMeta.META_PROTOCOL_VERSION);
  }

  /** Throws the specified error when a stateless request breaks a rule. */
  static void check(MultiMap headers, JsonObject message) {
    JsonObject meta = JsonRpc.params(message).getJsonObject("_meta", new JsonObject());
    String bodyVersion = meta.getString(McpMeta.META_PROTOCOL_VERSION);
    String headerVersion = headers.get(McpMeta.HEADER_PROTOCOL_VERSION);
    String requested = bodyVersion != null ? bodyVersion : headerVersion;
    if (JsonRpc.isRequest(message)) {
      // basic, "_meta": a request without the version in _meta has invalid params (-32602); a header that
      // names another version than the body is a HeaderMismatch before the version itself is judged
      if (bodyVersion == null) {
        throw new JunctionException(JunctionError.INVALID_PARAMS,
            "_meta." + McpMeta.META_PROTOCOL_VERSION + " is required");
      }
      if (headerVersion != null && !headerVersion.equals(bodyVersion)) {
        throw new JunctionException(JunctionError.HEADER_MISMATCH,
            McpMeta.HEADER_PROTOCOL_VERSION + " header does not match the body",
            new JsonObject().put("header", McpMeta.HEADER_PROTOCOL_VERSION));
      }
    }
    if (!ProtocolVersion.V2026_07_28.equals(requested)) {
      throw unsupported(requested);
    }
    if (!JsonRpc.isRequest(message)) {
      return; // notifications are accepted and ignored; this revision defines none over HTTP
    }
    mismatch(McpMeta.HEADER_PROTOCOL_VERSION, headerVersion, bodyVersion);
    String method = message.getString("method");
    mismatch(McpMeta.HEADER_METHOD, headers.get(McpMeta.HEADER_METHOD), method);
    McpMethod known = McpMethod.of(method);
    if (known != null && known.target() != null) {
      mismatch(McpMeta.HEADER_NAME, headers.get(McpMeta.HEADER_NAME), known.targetOf(JsonRpc.params(message)));
    }
    if (!meta.containsKey(McpMeta.META_CLIENT_CAPABILITIES)) {
      throw new JunctionException(JunctionError.INVALID_PARAMS,
          "_meta." + McpMeta.META_CLIENT_CAPABILITIES + " is required");
    }
  }

  /**
   * The {@code Mcp-Param-*} headers of a tools/call to forward upstream, or null when it has none; a header
   * sent twice or with a malformed Base64 value is a HeaderMismatch (basic/transports/streamable-http,
   * "Server Behavior for Custom Headers"). Whether a value matches the body is the upstream's to judge: only
   * the tool's inputSchema says which parameter a header mirrors.
   *
   * @param params the request's {@code Mcp-Param-*} headers ({@link ParamHeaders#of}), or null
   */
  static Map<String, String> paramHeaders(MultiMap headers, Map<String, String> params) {
    String bad = params == null ? null : ParamHeaders.malformed(headers, params);
    if (bad != null) {
      throw new JunctionException(JunctionError.HEADER_MISMATCH, bad + " header is malformed",
          new JsonObject().put("header", bad));
    }
    return params;
  }

  static JunctionException unsupported(String requested) {
    return new JunctionException(JunctionError.UNSUPPORTED_PROTOCOL_VERSION, requested,
        new JsonObject().put("supported", new JsonArray(List.copyOf(ProtocolVersion.SUPPORTED)))
            .put("requested", requested));
  }

  private static void mismatch(String header, String headerValue, String bodyValue) {
    String decoded = McpMeta.decodeName(headerValue);
    if (decoded == null || !Objects.equals(decoded, bodyValue)) {
      throw new JunctionException(JunctionError.HEADER_MISMATCH,
          header + " header " + (decoded == null ? "is missing" : "does not match the body"),
          new JsonObject().put("header", header));
    }
  }

  /**
   * Adds what 2026-07-28 requires of results and a session-based upstream does not send:
   * {@code resultType} on every result, caching hints on cacheable ones.
   */
  static JsonObject decorate(String method, JsonObject response) {
    if (Envelope.rawResult(response) && !cacheable(method)) {
      // a relayed result keeps its bytes: the revision's member goes in front when it is missing
      byte[] raw = Envelope.bytes((RawValue) response.getValue("result"));
      if (Envelope.hasMember(raw, "resultType")) {
        return response;
      }
      int open = 0;
      while (raw[open] != '{') {
        open++;
      }
      int first = open + 1;
      while (first < raw.length && Character.isWhitespace(raw[first])) {
        first++;
      }
      boolean empty = first < raw.length && raw[first] == '}';
      byte[] member = ("{\"resultType\":\"complete\"" + (empty ? "" : ",")).getBytes(StandardCharsets.UTF_8);
      byte[] spliced = new byte[member.length + raw.length - open - 1];
      System.arraycopy(member, 0, spliced, 0, member.length);
      System.arraycopy(raw, open + 1, spliced, member.length, raw.length - open - 1);
      return JsonRpc.shallowCopy(response).put("result", new RawValue(new RawJson(spliced)));
    }
    JsonObject result = Envelope.result(response);
    if (result == null) {
      return response;
    }
    JsonObject out = JsonRpc.shallowCopy(result);
    if (!out.containsKey("resultType")) {
      out.put("resultType", "complete");
    }
    if (cacheable(method)) {
      if (!out.containsKey("ttlMs")) {
        out.put("ttlMs", 0);
      }
      if (!out.containsKey("cacheScope")) {
        // tenant-specific upstream sessions: never cache across users
        out.put("cacheScope", "private");
      }
    }
    return JsonRpc.shallowCopy(response).put("result", out);
  }
}
