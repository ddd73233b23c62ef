package dev.junction.config;

import static dev.junction.binding.Key.Unit.BYTES;
import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Key;

/**
 * What the ingress allows a client connection: body sizes, the memory all bodies in flight may
 * hold, and how long a connection may take to send its request head or sit idle. Immutable.
 */
public record LimitsOptions(
    @Key(name = "maxBody", value = "4MiB", unit = BYTES, max = 1 << 30, doc = "The largest POST body; a larger"
        + " one gets 413.") long maxBodyBytes,
    @Key(name = "bodyBudget", value = "64MiB", unit = BYTES, doc = "The bytes all bodies being received may hold"
        + " at once, shared out evenly over the ingress instances; a body beyond its share gets 503.")
    long bodyBudgetBytes,
    @Key(name = "headerReadTimeout", value = "10s", unit = MILLIS, doc = "A new connection that has not sent a"
        + " whole request head by then is closed.") long headerReadTimeoutMs,
    @Key(name = "idleTimeout", value = "60s", unit = MILLIS, doc = "A connection with no request in flight this"
        + " long is closed (an open SSE stream is in flight).") long idleTimeoutMs) {
}
