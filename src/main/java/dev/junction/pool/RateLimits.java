package dev.junction.pool;

import dev.junction.config.AuthOptions;
import dev.junction.config.JunctionConfig;
import dev.junction.config.RateLimit;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionError;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The rate limits of the tenants hashed to one shard: a token bucket per tenant, per (tenant,
 * upstream) and per (tenant, upstream, tool). A bucket is brought up to date from a nanosecond
 * clock when a token is asked for, so no bucket has a timer. A new bucket starts full, so a full
 * bucket is the same as none: {@link #sweep} drops those, and tenants that come and go leave nothing
 * behind. A refused request never reached an upstream ({@code Outcome.REFUSED}): it does not count
 * against the upstream's health and takes no bulkhead slot. Owned by the shard's context, so it
 * needs no locks.
 */
final class RateLimits {
  static final String TENANT = "tenant";
  static final String UPSTREAM = "upstream";
  static final String TOOL = "tool";
  /** The metrics label for a tenant that is not declared, and for a tenant's own limit's upstream. */
  static final String NONE = "-";

  /**
   * One bucket, kept as the time it is full again (the virtual scheduling form of a token bucket,
   * GCRA): a token comes back every {@code interval}, a call takes one, and the bucket holds
   * {@code burst}. One long in integer nanoseconds: no rounding, so a client that waits the time
   * it was told is served.
   */
  private static final class Bucket {
    RateLimit limit;
    /** When the bucket holds its whole burst again; at or before now it is full. */
    long fullAt;

    Bucket(RateLimit limit, long now) {
      this.limit = limit;
      this.fullAt = now;
    }

    /** Nanoseconds between two tokens. */
    long interval() {
      return Math.max(1, Math.round(limit.periodMs() * 1e6 / limit.count()));
    }

    /** Nanoseconds until a token is back: 0 when there is one. */
    long untilToken(long now) {
      // differences only: nanoTime values may have any sign
      long missing = Math.max(0, fullAt - now);
      // the bucket is short of (missing / interval) tokens; one is left while that is at most burst - 1
      long slack = saturated(interval(), limit.burst() - 1);
      return Math.max(0, missing - slack);
    }

    void take(long now) {
      fullAt = (fullAt - now > 0 ? fullAt : now) + interval();
    }

    boolean full(long now) {
      return fullAt - now <= 0;
    }

    private static long saturated(long a, long b) {
      long high = Math.multiplyHigh(a, b);
      return high != 0 || a * b < 0 ? Long.MAX_VALUE / 4 : a * b;
    }
  }

  // replaced by each new config version (configure), on the shard context
  private JunctionConfig config;
  private final JunctionMetrics metrics;
  private final LongSupplier clock;

  // Owned by the shard context.
  private final Map<String, Bucket> buckets = new HashMap<>();

  /** @param nanoClock {@code System::nanoTime}, or a test's own clock */
  RateLimits(JunctionConfig config, JunctionMetrics metrics, LongSupplier nanoClock) {
    this.config = config;
    this.metrics = metrics;
    this.clock = nanoClock;
  }

  /** Takes a config version: limits apply to buckets made from now on (existing ones keep their rate). */
  void configure(JunctionConfig next) {
    config = next;
  }

  /**
   * Takes a token for one request of the scope's tenant: null when it may go on, otherwise the
   * error response (without its id). The tenant's limit is its {@code auth.tenants} entry's, or
   * the top-level one.
   */
  JsonObject tenant(Scope scope, Endpoint endpoint) {
    RateLimit limit = tenantLimit(endpoint.tenant());
    if (limit.off()) {
      return null;
    }
    long wait = take("t " + scope.tenantKey, limit, clock.getAsLong());
    if (wait == 0) {
      return null;
    }
    metrics.rateLimited(TENANT, NONE, label(endpoint));
    return JunctionError.rateLimited(null, TENANT, null, millis(wait));
  }

  /**
   * Takes a token for a request of the scope's tenant to an upstream (the one the client
   * addressed) from the (tenant, upstream) bucket and, for a tool call, the (tenant, upstream,
   * tool) bucket: from both, or from neither. Null when it may go on, otherwise the error
   * response naming the limit that must wait longest.
   *
   * @param tool the upstream's own name of the tool called, or null for other requests
   */
  JsonObject upstream(Scope scope, Endpoint endpoint, String upstream, String tool) {
    UpstreamOptions options = config.upstreams().get(upstream);
    if (options == null) {
      return null; // removed by a reload while the request was on its way: the routing refuses it
    }
    RateLimit own = options.rateLimit();
    RateLimit perTool = tool == null ? null : options.toolRateLimits().get(tool);
    if (own.off() && perTool == null) {
      return null;
    }
    long now = clock.getAsLong();
    String key = "u " + scope.tenantKey + ' ' + upstream;
    Bucket upstreamBucket = own.off() ? null : bucket(key, own, now);
    Bucket toolBucket = perTool == null ? null
        : bucket("x " + scope.tenantKey + ' ' + upstream + ' ' + tool, perTool, now);
    long upstreamWait = upstreamBucket == null ? 0 : upstreamBucket.untilToken(now);
    long toolWait = toolBucket == null ? 0 : toolBucket.untilToken(now);
    if (upstreamWait == 0 && toolWait == 0) {
      spend(upstreamBucket, now);
      spend(toolBucket, now);
      return null;
    }
    String which = toolWait > upstreamWait ? TOOL : UPSTREAM;
    metrics.rateLimited(which, upstream, label(endpoint));
    return JunctionError.rateLimited(null, which, upstream, millis(Math.max(upstreamWait, toolWait)));
  }

  /**
   * Takes a token from one bucket (made full when it is new).
   *
   * @return 0 when a token was taken, else the nanoseconds until one is back (none taken)
   */
  long take(String key, RateLimit limit, long now) {
    Bucket b = bucket(key, limit, now);
    long wait = b.untilToken(now);
    if (wait == 0) {
      b.take(now);
    }
    return wait;
  }

  /** Drops the buckets that have filled up again: a new bucket would be the same. */
  void sweep() {
    long now = clock.getAsLong();
    buckets.values().removeIf(b -> b.full(now));
  }

  /** The buckets held (for tests). */
  int size() {
    return buckets.size();
  }

  private Bucket bucket(String key, RateLimit limit, long now) {
    Bucket b = buckets.get(key);
    if (b == null) {
      b = new Bucket(limit, now);
      buckets.put(key, b);
    }
    b.limit = limit;
    return b;
  }

  private static void spend(Bucket b, long now) {
    if (b != null) {
      b.take(now);
    }
  }

  private RateLimit tenantLimit(String declared) {
    AuthOptions.Tenant tenant = declared == null ? null : config.auth().tenants().get(declared);
    return tenant != null && tenant.rateLimit() != null ? tenant.rateLimit() : config.rateLimit();
  }

  /** The declared tenant's name, from config: never a tenant key or its hash. */
  private static String label(Endpoint endpoint) {
    return endpoint.tenant() == null ? NONE : endpoint.tenant();
  }

  /** Whole milliseconds, rounded up, so a client that waits them finds its token. */
  static long millis(long nanos) {
    return Math.max(1, (nanos + 999_999) / 1_000_000);
  }
}
