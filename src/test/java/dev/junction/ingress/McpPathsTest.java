package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.Endpoint;
import org.junit.jupiter.api.Test;

class McpPathsTest {

  @Test
  void readsThePlainEndpointPaths() {
    assertThat(McpPaths.endpoint("/mcp")).isEqualTo(Endpoint.AGGREGATE);
    assertThat(McpPaths.endpoint("/servers/git-hub_2/mcp")).isEqualTo(Endpoint.server("git-hub_2"));
    assertThat(McpPaths.endpoint("/v/Team1/mcp")).isEqualTo(Endpoint.virtual("Team1"));
  }

  @Test
  void leavesEveryOtherShapeToTheRouter() {
    for (String path : new String[] {null, "", "/", "/mcp/", "/mcpx", "/x/mcp", "/servers//mcp", "/servers/mcp",
        "/servers/a/b/mcp", "/servers/a%2Fb/mcp", "/servers/../mcp", "/servers/a.b/mcp", "/v//mcp", "/v/mcp",
        "/servers/a/mcp/", "//mcp", "/servers/a/sse", "/metrics"}) {
      assertThat(McpPaths.endpoint(path)).as(path).isNull();
    }
  }
}
