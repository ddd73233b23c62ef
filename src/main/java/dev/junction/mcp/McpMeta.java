package dev.junction.mcp;

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

  private McpMeta() {
  }
}
