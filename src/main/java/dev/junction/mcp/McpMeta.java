package dev.junction.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Names of protocol fields and headers that the gateway reads or writes. */
public final class McpMeta {
  public static final String HEADER_SESSION_ID = "Mcp-Session-Id";
  public static final String HEADER_PROTOCOL_VERSION = "MCP-Protocol-Version";
  /** 2026-07-28: the JSON-RPC method, repeated as a header. */
  public static final String HEADER_METHOD = "Mcp-Method";
  /** 2026-07-28: {@code params.name} or {@code params.uri}, repeated as a header. */
  public static final String HEADER_NAME = "Mcp-Name";

  /** 2026-07-28 per-request {@code _meta} keys. */
  public static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
  public static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
  public static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";

  public static final String JSON = "application/json";
  public static final String SSE = "text/event-stream";

  private static final String BASE64_PREFIX = "=?base64?";
  private static final String BASE64_SUFFIX = "?=";

  private McpMeta() {
  }

  /**
   * An {@code Mcp-Name} header value: the name itself when it is printable ASCII, else its UTF-8
   * in the {@code =?base64?...?=} form (basic/transports/streamable-http, 2026-07-28).
   */
  public static String encodeName(String name) {
    boolean plain = name.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return plain ? name
        : BASE64_PREFIX + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)) + BASE64_SUFFIX;
  }

  /** The name an {@code Mcp-Name} header value carries, or null for a malformed base64 form. */
  public static String decodeName(String value) {
    if (value != null && value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX)
        && value.length() >= BASE64_PREFIX.length() + BASE64_SUFFIX.length()) {
      try {
        String encoded = value.substring(BASE64_PREFIX.length(), value.length() - BASE64_SUFFIX.length());
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return value;
  }
}
