package dev.junction.bus;

/**
 * A shard reports how a call or a session start went: every failure, and a success when it is the
 * shard's first for the upstream or ends a run of failures, so a healthy upstream costs no messages.
 *
 * @param disconnected the upstream could not be reached at all (refused, reset, process gone)
 * @param detail what went wrong, for the admin view (never a credential or a body)
 * @param start a session start failed (the health verticle logs the first of a run once per
 *     upstream, whichever shard it came from)
 */
public record CallOutcome(String upstream, boolean ok, boolean disconnected, String detail, boolean start)
    implements BusMessage {
}
