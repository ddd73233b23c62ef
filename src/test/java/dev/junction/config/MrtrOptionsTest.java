package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MrtrOptionsTest {
  private static final String BASE = """
      auth: {unauthenticated: allow}
      upstreams:
        demo: {transport: stdio, command: [x]}
      """;

  @Test
  void defaultsToFiveMinutesAndARandomKey() {
    JunctionConfig c = new ConfigLoader(Map.<String, String>of()::get).parse(BASE);
    assertThat(c.mrtr()).isEqualTo(new MrtrOptions(300_000, null));
  }

  @Test
  void readsTheKeyFromTheEnvironmentAndKeepsItOutOfErrors() {
    ConfigLoader loader = new ConfigLoader(Map.of("MRTR_KEY", "k".repeat(40))::get);
    JunctionConfig c = loader.parse(BASE + "mrtr:\n  holdTimeout: 30s\n  stateKey: ${MRTR_KEY}\n");
    assertThat(c.mrtr()).isEqualTo(new MrtrOptions(30_000, "k".repeat(40)));
    assertThatThrownBy(() -> new ConfigLoader(Map.<String, String>of()::get)
        .parse(BASE + "mrtr: {stateKey: short-secret}\n"))
        .hasMessageContaining("mrtr.stateKey").hasMessageContaining("at least 32")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret"));
  }
}
