package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rate limit keys: their forms, their defaults, and every bad value reported with its path. */
class RateLimitConfigTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of("RATE", "20/s")::get);

  @Test
  void offByDefault() {
    JunctionConfig c = loader.parse("""
        auth: {unauthenticated: allow, tenants: {acme: {}}}
        upstreams:
          s: {transport: streamable-http, url: "http://127.0.0.1:1/mcp"}
        """);
    assertThat(c.rateLimit()).isEqualTo(RateLimit.OFF);
    assertThat(c.rateLimit().off()).isTrue();
    assertThat(c.auth().tenants().get("acme").rateLimit()).isNull();
    assertThat(c.upstreams().get("s").rateLimit().off()).isTrue();
    assertThat(c.upstreams().get("s").toolRateLimits()).isEmpty();
  }

  @Test
  void readsEveryForm() {
    JunctionConfig c = loader.parse("""
        rateLimit: {rate: 50/s, burst: 100}
        auth:
          unauthenticated: allow
          tenants:
            acme: {rateLimit: 300/m}
            free: {rateLimit: "off"}
            bare: {rateLimit: off}
        upstreams:
          s:
            transport: streamable-http
            url: "http://127.0.0.1:1/mcp"
            rateLimit: "${RATE}"
            toolRateLimits: {search: 5/s, export: {rate: 1000/h, burst: 10}}
        """);
    assertThat(c.rateLimit()).isEqualTo(new RateLimit(50, 1_000, 100));
    assertThat(c.auth().tenants().get("acme").rateLimit()).isEqualTo(new RateLimit(300, 60_000, 300));
    assertThat(c.auth().tenants().get("free").rateLimit()).isEqualTo(RateLimit.OFF);
    assertThat(c.auth().tenants().get("bare").rateLimit()).isEqualTo(RateLimit.OFF);
    UpstreamOptions s = c.upstreams().get("s");
    assertThat(s.rateLimit()).isEqualTo(new RateLimit(20, 1_000, 20));
    assertThat(s.toolRateLimits()).containsOnly(Map.entry("search", new RateLimit(5, 1_000, 5)),
        Map.entry("export", new RateLimit(1000, 3_600_000, 10)));
    assertThat(c.toJson().getString("rateLimit")).isEqualTo("50/s burst 100");
    assertThat(c.toJson().getJsonObject("upstreams").getJsonObject("s").getJsonObject("toolRateLimits")
        .getString("export")).isEqualTo("1000/h burst 10");
    assertThat(c.toJson().getJsonObject("auth").getJsonObject("tenants").getJsonObject("acme")
        .getString("rateLimit")).isEqualTo("300/m");
  }

  @Test
  void reportsEveryBadValueWithItsPath() {
    assertThatThrownBy(() -> loader.parse("""
        rateLimit: 50
        auth:
          unauthenticated: allow
          tenants:
            acme: {rateLimit: {rate: 0/s}}
            beta: {rateLimit: {burst: 3}}
        upstreams:
          s:
            transport: streamable-http
            url: "http://127.0.0.1:1/mcp"
            rateLimit: {rate: 5/d, burst: 1, extra: 1}
            toolRateLimits: {a: 5/s, b: [1], c: {rate: 1/s, burst: 0}, d: {rate: 1/s, burst: x}}
        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).contains(
            "rateLimit: must be a rate such as 50/s, 300/m or 1000/h (whole numbers from 1 to 1000000000), or off",
            "auth.tenants.acme.rateLimit.rate: must be a rate such as 50/s, 300/m or 1000/h (whole numbers from 1 to"
                + " 1000000000), or off",
            "auth.tenants.beta.rateLimit.rate: required, a rate such as 50/s, 300/m or 1000/h",
            "upstreams.s.rateLimit.extra: unknown key",
            "upstreams.s.rateLimit.rate: must be a rate such as 50/s, 300/m or 1000/h (whole numbers from 1 to"
                + " 1000000000), or off",
            "upstreams.s.toolRateLimits.b: must be a rate such as 50/s, 300/m or 1000/h (whole numbers from 1 to"
                + " 1000000000), or off",
            "upstreams.s.toolRateLimits.c.burst: must be a whole number from 1 to 1000000000",
            "upstreams.s.toolRateLimits.d.burst: must be a whole number from 1 to 1000000000")
        .hasSize(8));
  }
}
