package dev.junction.ingress;

import dev.junction.routing.Endpoint;

/**
 * Reads the three Streamable HTTP endpoint paths without the router: {@code /mcp},
 * {@code /servers/<name>/mcp} and {@code /v/<name>/mcp}. Only the plain shape is read here (a name
 * of letters, digits, {@code -} and {@code _}); anything else is left to the router, which has the
 * same routes and decodes, so both ways reach the same endpoint.
 */
final class McpPaths {

  private static final String MCP = "/mcp";
  private static final String SERVERS = "/servers/";
  private static final String VIRTUAL = "/v/";

  private McpPaths() {
  }

  /** The endpoint a path names, or null when the router should look at it. */
  static Endpoint endpoint(String path) {
    if (path == null || !path.endsWith(MCP)) {
      return null;
    }
    if (path.length() == MCP.length()) {
      return Endpoint.AGGREGATE;
    }
    if (path.startsWith(SERVERS)) {
      String name = name(path, SERVERS.length());
      return name == null ? null : Endpoint.server(name);
    }
    if (path.startsWith(VIRTUAL)) {
      String name = name(path, VIRTUAL.length());
      return name == null ? null : Endpoint.virtual(name);
    }
    return null;
  }

  /** The segment between {@code from} and the trailing {@code /mcp}, if it is a plain name. */
  private static String name(String path, int from) {
    int end = path.length() - MCP.length();
    if (end <= from) {
      return null;
    }
    for (int i = from; i < end; i++) {
      char c = path.charAt(i);
      boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
      if (!plain) {
        return null;
      }
    }
    return path.substring(from, end);
  }
}
