package dev.junction.config;

import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Key;
import java.util.List;

/**
 * Limits of the upstream session pool, per pool key (tenant, upstream, config hash). Set under
 * {@code pool:} for every upstream and under {@code upstreams.<name>.pool:} for one. Immutable.
 */
@Key.Moved(key = "circuit", to = "health (failureThreshold, reconnect.initialDelay)")
public record SessionPoolOptions(
    @Key(value = "4", doc = "Sessions per pool key.") int maxSessions,
    @Key(value = "0", min = 0, doc = "Concurrent calls per session; 0 is unlimited, 1 an exclusive lease.")
    int maxInFlightPerSession,
    @Key(value = "256", min = 0, doc = "Calls that may wait for a session; more are refused at once.")
    int maxWaiters,
    @Key(name = "acquireTimeout", value = "5s", unit = MILLIS, doc = "How long a call waits for a session.")
    long acquireTimeoutMs,
    @Key(name = "createTimeout", value = "10s", unit = MILLIS, doc = "How long starting or connecting and"
        + " initializing a session may take.") long createTimeoutMs,
    @Key(name = "sessionTtl", value = "1h", unit = MILLIS, doc = "A session older than this takes no new calls.")
    long sessionTtlMs,
    @Key(name = "idleTimeout", value = "5m", unit = MILLIS, doc = "A session unused this long is closed; a key"
        + " without sessions is evicted.") long idleTimeoutMs,
    @Key(name = "healthCheckInterval", value = "30s", unit = MILLIS, doc = "A session idle longer than this is"
        + " checked before it is leased.") long healthCheckIntervalMs,
    @Key(value = "[ping, tools/list]", pattern = "ping|tools/list|skip", must = "be ping, tools/list or skip",
        doc = "The check chain: -32601 or a timeout moves on; the end passes unless a step timed out.")
    List<String> healthCheck,
    @Key(value = "64", doc = "The bulkhead: a tenant's concurrent calls to one upstream.") int maxInFlightPerTenant) {
}
