package dev.junction.config;

import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Key;

/**
 * What SIGTERM does ({@code shutdown: {drainDelay, timeout}}): readiness fails at once and the node
 * keeps serving for {@code drainDelay} while load balancers take it out of rotation; then it stops
 * accepting connections and lets in-flight requests and their streams finish for up to
 * {@code timeout}, after which the rest are closed and upstream sessions ended.
 *
 * @param drainDelayMs how long the node keeps serving after readiness has turned to 503; 0 for none
 * @param timeoutMs how long in-flight requests may take to finish once the listener is closed
 */
public record ShutdownOptions(
    @Key(name = "drainDelay", value = "5s", unit = MILLIS, min = 0, must = "be a duration such as 5s (0 stops"
        + " accepting at once)", doc = "How long the node keeps serving after /readyz has turned to 503, while"
        + " load balancers take it out.") long drainDelayMs,
    @Key(name = "timeout", value = "30s", unit = MILLIS, doc = "How long in-flight requests and their streams may"
        + " take to finish once the listener is closed.") long timeoutMs) {
}
