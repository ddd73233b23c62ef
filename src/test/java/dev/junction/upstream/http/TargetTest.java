package dev.junction.upstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void takesAnUpstreamUrlApart() {
    assertThat(Target.of("http://127.0.0.1:8931/mcp")).isEqualTo(new Target("127.0.0.1", 8931, "/mcp", false));
    assertThat(Target.of("https://mcp.example.com/v1/mcp?team=a%20b"))
        .isEqualTo(new Target("mcp.example.com", 443, "/v1/mcp?team=a%20b", true));
    assertThat(Target.of("http://upstream")).isEqualTo(new Target("upstream", 80, "/", false));
  }
}
