package dev.junction.health;

/**
 * A shard reports a failed call (transport error, timeout, failed session creation), or the first
 * success after failures, or a half-open probe's result. Plain successes are not reported.
 */
public record CallOutcome(String upstream, boolean ok, boolean probe) {
}
