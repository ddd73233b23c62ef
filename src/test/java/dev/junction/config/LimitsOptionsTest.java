package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsOptionsTest {
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  @Test
  void defaultsWhenAbsent() {
    JunctionConfig c = loader.parse("auth: {unauthenticated: allow}\n");
    assertThat(c.limits().maxBodyBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(c.limits().bodyBudgetBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(c.limits().headerReadTimeoutMs()).isEqualTo(10_000);
    assertThat(c.limits().idleTimeoutMs()).isEqualTo(60_000);
    assertThat(c.allowedHosts()).isEmpty();
  }

  @Test
  void readsSizesDurationsAndHosts() {
    JunctionConfig c = loader.parse("""
        auth: {unauthenticated: allow}
        allowedHosts: [mcp.example.com, "*.nope"]
        limits: {maxBody: 512KiB, bodyBudget: 16MiB, headerReadTimeout: 3s, idleTimeout: 2m}
        """);
    assertThat(c.limits().maxBodyBytes()).isEqualTo(512 * 1024);
    assertThat(c.limits().bodyBudgetBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(c.limits().headerReadTimeoutMs()).isEqualTo(3_000);
    assertThat(c.limits().idleTimeoutMs()).isEqualTo(120_000);
    assertThat(c.allowedHosts()).containsExactly("mcp.example.com", "*.nope");
    assertThat(loader.parse("auth: {unauthenticated: allow}\nlimits: {bodyBudget: 1048576}\n").limits()
        .bodyBudgetBytes()).isEqualTo(1_048_576);
    assertThat(c.toJson().getJsonObject("limits").getString("idleTimeout")).isEqualTo("120s");
  }

  @Test
  void reportsEveryBadKeyWithItsPath() {
    assertThatThrownBy(() -> loader.parse("""
        auth: {unauthenticated: allow}
        allowedHosts: localhost
        limits: {maxBody: 4MB, bodyBudget: 0, headerReadTimeout: soon, idleTimeout: 0s, other: 1}
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("allowedHosts: must be a list")
        .hasMessageContaining("limits.maxBody: must be a positive size")
        .hasMessageContaining("limits.bodyBudget: must be a positive size")
        .hasMessageContaining("limits.headerReadTimeout: must be a positive duration")
        .hasMessageContaining("limits.idleTimeout: must be a positive duration")
        .hasMessageContaining("limits.other: unknown key");
    assertThatThrownBy(() -> loader.parse("auth: {unauthenticated: allow}\nlimits: {maxBody: 2GiB}\n"))
        .hasMessageContaining("limits.maxBody: must be at most 1GiB");
  }
}
