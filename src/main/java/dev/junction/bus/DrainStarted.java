package dev.junction.bus;

/**
 * Published by the launcher on SIGTERM: every listener answers {@code /readyz} with 503 from now
 * on, and an ingress that is then undeployed lets its in-flight requests finish for up to
 * {@code timeoutMs} before it closes their connections. The listeners close after
 * {@code drainDelayMs}; then the pool shards end their {@code subscriptions/listen} streams.
 */
public record DrainStarted(long timeoutMs, long drainDelayMs) implements BusMessage {
}
