package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HealthOptionsTest {
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  @Test
  void resilienceKeysAreReadWithGlobalDefaultsAndPerUpstreamOverrides() {
    JunctionConfig c = loader.parse("""
        auth: {unauthenticated: allow}
        sseKeepAlive: 5s
        health:
          probeInterval: 0s
          failureThreshold: 4
          reconnect: {initialDelay: 100ms, maxDelay: 2s, multiplier: 3, jitter: 0}
          readyNeedsHealthyUpstream: true
        upstreams:
          main:
            transport: streamable-http
            url: http://127.0.0.1:1/mcp
            failover: [spare]
            toolTimeouts: {slow: 90s}
            health: {failbackAfter: 10s, failureThreshold: 2}
          spare:
            transport: stdio
            command: [server]
            maxProcesses: 3
            stderrLines: 0
        """);
    assertThat(c.sseKeepAliveMs()).isEqualTo(5_000);
    assertThat(c.readyNeedsHealthyUpstream()).isTrue();
    UpstreamOptions main = c.upstreams().get("main");
    assertThat(main.failover()).containsExactly("spare");
    assertThat(main.requestTimeoutMs("slow")).isEqualTo(90_000);
    assertThat(main.requestTimeoutMs("other")).isEqualTo(UpstreamOptions.DEFAULT_REQUEST_TIMEOUT_MS);
    assertThat(main.health().failureThreshold()).isEqualTo(2);
    assertThat(main.health().failbackAfterMs()).isEqualTo(10_000);
    assertThat(main.health().probeIntervalMs()).isZero(); // from the global section
    UpstreamOptions spare = c.upstreams().get("spare");
    assertThat(spare.health().failureThreshold()).isEqualTo(4);
    assertThat(spare.maxProcesses()).isEqualTo(3);
    assertThat(spare.stderrLines()).isZero();
    // 100 ms, then ×3 per attempt, capped at 2 s; no jitter
    assertThat(IntStream.range(0, 5).mapToLong(spare.health()::reconnectDelayMs).toArray())
        .containsExactly(100, 300, 900, 2_000, 2_000);
  }

  @Test
  void jitterVariesTheDelayWithinItsFraction() {
    HealthOptions h = new ConfigLoader(Map.<String, String>of()::get).parse("""
        auth: {unauthenticated: allow}
        health: {reconnect: {initialDelay: 1s, multiplier: 1, maxDelay: 1s, jitter: 0.5}}
        """).health();
    long[] delays = IntStream.range(0, 200).mapToLong(h::reconnectDelayMs).toArray();
    assertThat(java.util.Arrays.stream(delays).boxed().toList()).allMatch(d -> d >= 500 && d <= 1_000);
    assertThat(java.util.Arrays.stream(delays).distinct().count()).isGreaterThan(10);
  }

  @Test
  void badResilienceKeysAreReportedWithTheirPaths() {
    assertThatThrownBy(() -> loader.parse("""
        auth: {unauthenticated: allow}
        pool: {circuit: {failureThreshold: 3}}
        health: {reconnect: {multiplier: 0.5, jitter: 2, initialDelay: 5s, maxDelay: 1s}, probeInterval: soon}
        upstreams:
          a:
            transport: streamable-http
            url: http://127.0.0.1:1/mcp
            failover: [a, ghost, b, b]
          c:
            transport: streamable-http
            url: http://127.0.0.1:1/mcp
            maxProcesses: 2
            toolTimeouts: {t: never}
          b:
            transport: stdio
            command: [x]
            maxProcesses: 0
          d:
            transport: stdio
            command: [x]
            maxProcesses: 1
        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).contains(
            "pool.circuit: moved to health (failureThreshold, reconnect.initialDelay)",
            "health.reconnect.multiplier: must be at least 1, got 0.5",
            "health.reconnect.jitter: must be between 0 and 1, got 2.0",
            "health.reconnect.maxDelay: must not be less than initialDelay",
            "health.probeInterval: must be a duration such as 30s (0 turns probes off)",
            "upstreams.a.failover[0]: an upstream cannot be its own backup",
            "upstreams.a.failover[1]: no upstream named 'ghost'",
            "upstreams.a.failover[3]: 'b' is listed twice",
            "upstreams.c.maxProcesses: only for stdio upstreams",
            "upstreams.c.toolTimeouts.t: must be a positive duration such as 30s",
            "upstreams.b.maxProcesses: must be at least 1",
            "upstreams.d.maxProcesses: must be at least 2 while health probes are on (the probe keeps one process);"
                + " or set upstreams.d.health.probeInterval: 0s"));
  }
}
