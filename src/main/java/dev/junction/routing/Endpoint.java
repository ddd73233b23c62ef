package dev.junction.routing;

/**
 * A downstream endpoint: the aggregate {@code /mcp} (server is empty) or {@code /servers/<name>/mcp}.
 */
public record Endpoint(String server) {
  /** The aggregate endpoint. */
  public static final Endpoint AGGREGATE = new Endpoint("");

  /** True for {@code /mcp}, which serves every upstream with prefixed names. */
  public boolean aggregate() {
    return server.isEmpty();
  }

  /** The endpoint named in a relay message ({@code ""} for the aggregate). */
  public static Endpoint of(String server) {
    return server == null || server.isEmpty() ? AGGREGATE : new Endpoint(server);
  }
}
