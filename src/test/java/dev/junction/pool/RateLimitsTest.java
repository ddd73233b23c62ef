package dev.junction.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import dev.junction.config.RateLimit;
import dev.junction.error.JunctionError;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The token bucket math of {@link RateLimits}, on a clock the test moves by hand. */
class RateLimitsTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** The test's clock, in nanoseconds; it starts far from 0, as {@code System.nanoTime()} may. */
  private long now = -7_000_000_000L;

  private RateLimits limits(String yaml) {
    JunctionConfig config = new ConfigLoader(name -> null).parse("auth: {unauthenticated: allow}\n" + yaml);
    return new RateLimits(config, JunctionMetrics.create(), () -> now);
  }

  private static Scope scope(String tenantKey) {
    return new Scope(tenantKey, new JsonObject(), new JsonObject(), "2025-11-25");
  }

  private static long retryAfterMs(JsonObject refused) {
    return refused.getJsonObject("error").getJsonObject("data").getLong("retryAfterMs");
  }

  @Test
  void aFullBucketServesItsBurstThenOneCallPerTokenRefilled() {
    RateLimits limits = limits("rateLimit: {rate: 10/s, burst: 5}");
    Scope a = scope("a");
    for (int i = 0; i < 5; i++) {
      assertThat(limits.tenant(a, Endpoint.AGGREGATE)).as("call %d of the burst", i).isNull();
    }
    JsonObject refused = limits.tenant(a, Endpoint.AGGREGATE);
    assertThat(refused).isNotNull();
    JsonObject error = refused.getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(JunctionError.RATE_LIMITED.code()).isEqualTo(-32029);
    assertThat(error.getJsonObject("data").getString("scope")).isEqualTo("tenant");
    assertThat(error.getJsonObject("data").containsKey("upstream")).isFalse();
    // 10 per second: one token every 100 ms
    assertThat(retryAfterMs(refused)).isEqualTo(100);

    now += 60 * MS;
    assertThat(retryAfterMs(limits.tenant(a, Endpoint.AGGREGATE))).isEqualTo(40);
    now += 39 * MS;
    assertThat(retryAfterMs(limits.tenant(a, Endpoint.AGGREGATE))).isEqualTo(1);
    now += MS;
    assertThat(limits.tenant(a, Endpoint.AGGREGATE)).as("served once retryAfterMs has passed").isNull();
    assertThat(retryAfterMs(limits.tenant(a, Endpoint.AGGREGATE))).isEqualTo(100);
  }

  @Test
  void refillStopsAtTheBurst() {
    RateLimits limits = limits("rateLimit: 2/s");
    Scope a = scope("a");
    now += TimeUnit.HOURS.toNanos(1);
    assertThat(limits.tenant(a, Endpoint.AGGREGATE)).isNull();
    assertThat(limits.tenant(a, Endpoint.AGGREGATE)).isNull();
    assertThat(limits.tenant(a, Endpoint.AGGREGATE)).isNotNull();
    now += TimeUnit.HOURS.toNanos(1);
    // an hour of rest gives back the burst (2), not 7,200 tokens
    assertThat(limits.tenant(a, Endpoint.AGGREGATE)).isNull();
    assertThat(limits.tenant(a, Endpoint.AGGREGATE)).isNull();
    assertThat(retryAfterMs(limits.tenant(a, Endpoint.AGGREGATE))).isEqualTo(500);
  }

  @Test
  void perMinuteAndPerHourRates() {
    RateLimits limits = limits("rateLimit: {rate: 300/m, burst: 1}");
    Scope a = scope("a");
    assertThat(limits.tenant(a, Endpoint.AGGREGATE)).isNull();
    assertThat(retryAfterMs(limits.tenant(a, Endpoint.AGGREGATE))).isEqualTo(200);

    RateLimits hourly = limits("rateLimit: 7/h");
    for (int i = 0; i < 7; i++) {
      assertThat(hourly.tenant(a, Endpoint.AGGREGATE)).isNull();
    }
    // 3,600,000 / 7 = 514,285.71... ms: rounded up, so a client that waits it is served
    long wait = retryAfterMs(hourly.tenant(a, Endpoint.AGGREGATE));
    assertThat(wait).isEqualTo(514_286);
    now += (wait - 1) * MS;
    assertThat(hourly.tenant(a, Endpoint.AGGREGATE)).isNotNull();
    now += MS;
    assertThat(hourly.tenant(a, Endpoint.AGGREGATE)).isNull();
  }

  @Test
  void tenantsHaveBucketsOfTheirOwn() {
    RateLimits limits = limits("rateLimit: 1/s");
    assertThat(limits.tenant(scope("a"), Endpoint.AGGREGATE)).isNull();
    assertThat(limits.tenant(scope("a"), Endpoint.AGGREGATE)).isNotNull();
    assertThat(limits.tenant(scope("b"), Endpoint.AGGREGATE)).isNull();
  }

  @Test
  void aDeclaredTenantsOwnLimitReplacesTheGlobalOne() {
    RateLimits limits = limits("""
        rateLimit: 1/s
        auth:
          unauthenticated: allow
          tenants:
            big: {rateLimit: {rate: 1/s, burst: 3}}
            free: {rateLimit: off}
            plain: {}
        """);
    Endpoint big = Endpoint.AGGREGATE.forTenant("big");
    Endpoint free = Endpoint.AGGREGATE.forTenant("free");
    Endpoint plain = Endpoint.AGGREGATE.forTenant("plain");
    for (int i = 0; i < 3; i++) {
      assertThat(limits.tenant(scope("big"), big)).isNull();
    }
    assertThat(limits.tenant(scope("big"), big)).isNotNull();
    for (int i = 0; i < 100; i++) {
      assertThat(limits.tenant(scope("free"), free)).isNull();
    }
    assertThat(limits.tenant(scope("plain"), plain)).isNull();
    assertThat(limits.tenant(scope("plain"), plain)).isNotNull();
    assertThat(limits.size()).as("no bucket for a tenant without a limit").isEqualTo(2);
  }

  @Test
  void noLimitConfiguredMeansNoBuckets() {
    RateLimits limits = limits("""
        upstreams:
          s: {transport: streamable-http, url: "http://127.0.0.1:1/mcp"}
        """);
    for (int i = 0; i < 1_000; i++) {
      assertThat(limits.tenant(scope("a"), Endpoint.AGGREGATE)).isNull();
      assertThat(limits.upstream(scope("a"), Endpoint.AGGREGATE, "s", "echo")).isNull();
    }
    assertThat(limits.size()).isZero();
  }

  @Test
  void aToolCallTakesFromTheUpstreamAndTheToolBucketOrFromNeither() {
    RateLimits limits = limits("""
        upstreams:
          s:
            transport: streamable-http
            url: "http://127.0.0.1:1/mcp"
            rateLimit: {rate: 10/s, burst: 4}
            toolRateLimits: {slow: 1/s}
        """);
    Scope a = scope("a");
    assertThat(limits.upstream(a, Endpoint.AGGREGATE, "s", "slow")).isNull();
    JsonObject refused = limits.upstream(a, Endpoint.AGGREGATE, "s", "slow");
    JsonObject data = refused.getJsonObject("error").getJsonObject("data");
    assertThat(data.getString("scope")).isEqualTo("tool");
    assertThat(data.getString("upstream")).isEqualTo("s");
    assertThat(data.getLong("retryAfterMs")).isEqualTo(1_000);
    assertThat(refused.getJsonObject("error").getString("message"))
        .isEqualTo("Rate limit exceeded: the tenant's limit for this tool of upstream s; retry after 1000 ms");
    // the refused call took no token from the upstream's bucket: 3 are left of 4
    for (int i = 0; i < 3; i++) {
      assertThat(limits.upstream(a, Endpoint.AGGREGATE, "s", "fast")).as("call %d", i).isNull();
    }
    JsonObject full = limits.upstream(a, Endpoint.AGGREGATE, "s", null);
    assertThat(full.getJsonObject("error").getJsonObject("data").getString("scope")).isEqualTo("upstream");
    assertThat(retryAfterMs(full)).isEqualTo(100);
    // both empty: the answer names the limit that must wait longest
    JsonObject both = limits.upstream(a, Endpoint.AGGREGATE, "s", "slow");
    assertThat(both.getJsonObject("error").getJsonObject("data").getString("scope")).isEqualTo("tool");
    assertThat(retryAfterMs(both)).isEqualTo(1_000);
    // another tenant has buckets of its own
    assertThat(limits.upstream(scope("b"), Endpoint.AGGREGATE, "s", "slow")).isNull();
  }

  @Test
  void theSweepDropsOnlyBucketsThatFilledUpAgain() {
    RateLimits limits = limits("rateLimit: {rate: 10/s, burst: 2}");
    assertThat(limits.tenant(scope("a"), Endpoint.AGGREGATE)).isNull();
    assertThat(limits.tenant(scope("a"), Endpoint.AGGREGATE)).isNull();
    assertThat(limits.tenant(scope("b"), Endpoint.AGGREGATE)).isNull();
    assertThat(limits.size()).isEqualTo(2);
    now += 150 * MS;
    limits.sweep();
    // b had 1 token and got 1.5 back; a had none and has 1.5 of 2
    assertThat(limits.size()).isEqualTo(1);
    assertThat(limits.tenant(scope("a"), Endpoint.AGGREGATE)).isNull();
    assertThat(limits.tenant(scope("a"), Endpoint.AGGREGATE)).isNotNull();
    now += 200 * MS;
    limits.sweep();
    assertThat(limits.size()).isZero();
    // a dropped bucket comes back full, as it would have been
    assertThat(limits.tenant(scope("a"), Endpoint.AGGREGATE)).isNull();
    assertThat(limits.tenant(scope("a"), Endpoint.AGGREGATE)).isNull();
    assertThat(limits.tenant(scope("a"), Endpoint.AGGREGATE)).isNotNull();
  }

  @Test
  void manyTenantsComingAndGoingLeaveNothingBehind() {
    RateLimits limits = limits("rateLimit: {rate: 50/s, burst: 100}");
    for (int i = 0; i < 10_000; i++) {
      assertThat(limits.tenant(scope("tenant-" + i), Endpoint.AGGREGATE)).isNull();
      now += 100_000;
    }
    assertThat(limits.size()).isEqualTo(10_000);
    now += 20 * MS;
    limits.sweep();
    assertThat(limits.size()).isZero();
  }

  @Test
  void takeReportsTheWaitInNanosecondsAndTakesNothingWhenEmpty() {
    RateLimits limits = limits("");
    RateLimit limit = new RateLimit(3, 1_000, 1);
    assertThat(limits.take("k", limit, now)).isZero();
    assertThat(limits.take("k", limit, now)).isEqualTo(333_333_333);
    // refused takes leave the deficit where it was
    assertThat(limits.take("k", limit, now)).isEqualTo(333_333_333);
    assertThat(limits.take("k", limit, now + 333_333_333)).isZero();
    assertThat(RateLimits.millis(333_333_333)).isEqualTo(334);
    assertThat(RateLimits.millis(1)).isEqualTo(1);
  }

  @Test
  void statelessClientsGet429WithRetryAfterInWholeSecondsRoundedUp() {
    JsonObject refused = JunctionError.rateLimited(7, "tenant", null, 1_001);
    assertThat(JunctionError.statelessStatusOf(refused.getJsonObject("error"))).isEqualTo(429);
    assertThat(JunctionError.RATE_LIMITED.status(false)).isEqualTo(200);
    assertThat(JunctionError.retryAfterHeader(refused)).isEqualTo("2");
    assertThat(JunctionError.retryAfterHeader(JunctionError.rateLimited(7, "tenant", null, 1))).isEqualTo("1");
    assertThat(JunctionError.retryAfterHeader(JunctionError.rateLimited(7, "tenant", null, 3_000))).isEqualTo("3");
    // the same code from an upstream, without retryAfterMs, is a JSON-RPC error like any other
    assertThat(JunctionError.statelessStatusOf(new JsonObject().put("code", -32029).put("message", "x")))
        .isEqualTo(200);
    assertThat(JunctionError.statelessStatusOf(new JsonObject().put("code", -32601))).isEqualTo(404);
  }
}
