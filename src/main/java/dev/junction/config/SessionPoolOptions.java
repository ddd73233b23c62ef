package dev.junction.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Limits of the upstream session pool, per pool key (tenant, upstream, config hash). Set under
 * {@code pool:} for every upstream and under {@code upstreams.<name>.pool:} for one. Read-only
 * once the gateway starts.
 */
public final class SessionPoolOptions {
  public static final int DEFAULT_MAX_SESSIONS = 4;
  /** 0 means no limit: any number of concurrent calls share a session. 1 is an exclusive lease. */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_SESSION = 0;
  public static final int DEFAULT_MAX_WAITERS = 256;
  public static final long DEFAULT_ACQUIRE_TIMEOUT_MS = 5_000;
  public static final long DEFAULT_CREATE_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_SESSION_TTL_MS = 60 * 60_000;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;
  public static final long DEFAULT_HEALTH_CHECK_INTERVAL_MS = 30_000;
  public static final List<String> DEFAULT_HEALTH_CHECK = List.of("ping", "tools/list");
  /** A tenant's in-flight calls to one upstream (the bulkhead). */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_TENANT = 64;

  int maxSessions = DEFAULT_MAX_SESSIONS;
  int maxInFlightPerSession = DEFAULT_MAX_IN_FLIGHT_PER_SESSION;
  int maxWaiters = DEFAULT_MAX_WAITERS;
  long acquireTimeoutMs = DEFAULT_ACQUIRE_TIMEOUT_MS;
  long createTimeoutMs = DEFAULT_CREATE_TIMEOUT_MS;
  long sessionTtlMs = DEFAULT_SESSION_TTL_MS;
  long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  long healthCheckIntervalMs = DEFAULT_HEALTH_CHECK_INTERVAL_MS;
  List<String> healthCheck = DEFAULT_HEALTH_CHECK;
  int maxInFlightPerTenant = DEFAULT_MAX_IN_FLIGHT_PER_TENANT;

  public SessionPoolOptions() {
  }

  /** A copy, for per-upstream overrides on top of the global options. */
  public SessionPoolOptions(SessionPoolOptions other) {
    this.maxSessions = other.maxSessions;
    this.maxInFlightPerSession = other.maxInFlightPerSession;
    this.maxWaiters = other.maxWaiters;
    this.acquireTimeoutMs = other.acquireTimeoutMs;
    this.createTimeoutMs = other.createTimeoutMs;
    this.sessionTtlMs = other.sessionTtlMs;
    this.idleTimeoutMs = other.idleTimeoutMs;
    this.healthCheckIntervalMs = other.healthCheckIntervalMs;
    this.healthCheck = other.healthCheck;
    this.maxInFlightPerTenant = other.maxInFlightPerTenant;
  }

  /** Sessions per pool key. */
  public int maxSessions() {
    return maxSessions;
  }

  /** Concurrent calls per session; 0 is unlimited, 1 an exclusive lease. */
  public int maxInFlightPerSession() {
    return maxInFlightPerSession;
  }

  /** Calls that may wait for a session per pool key; more are refused at once. */
  public int maxWaiters() {
    return maxWaiters;
  }

  /** How long a call waits for a session. */
  public long acquireTimeoutMs() {
    return acquireTimeoutMs;
  }

  /** How long creating a session (start or connect, and initialize) may take. */
  public long createTimeoutMs() {
    return createTimeoutMs;
  }

  /** A session older than this takes no new calls and closes when idle. */
  public long sessionTtlMs() {
    return sessionTtlMs;
  }

  /** A session unused for this long is closed; a key without sessions is evicted. */
  public long idleTimeoutMs() {
    return idleTimeoutMs;
  }

  /** A session idle longer than this is checked before it is leased. */
  public long healthCheckIntervalMs() {
    return healthCheckIntervalMs;
  }

  /** The check chain: each method is tried in turn; -32601 or a timeout moves on; the end passes unless a step timed out. */
  public List<String> healthCheck() {
    return healthCheck;
  }

  /** The bulkhead: a tenant's concurrent calls to one upstream. */
  public int maxInFlightPerTenant() {
    return maxInFlightPerTenant;
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxSessions", maxSessions).put("maxInFlightPerSession", maxInFlightPerSession)
        .put("maxWaiters", maxWaiters).put("acquireTimeout", Durations.format(acquireTimeoutMs))
        .put("createTimeout", Durations.format(createTimeoutMs)).put("sessionTtl", Durations.format(sessionTtlMs))
        .put("idleTimeout", Durations.format(idleTimeoutMs))
        .put("healthCheckInterval", Durations.format(healthCheckIntervalMs))
        .put("healthCheck", new JsonArray(List.copyOf(healthCheck)))
        .put("maxInFlightPerTenant", maxInFlightPerTenant);
  }
}
