package dev.junction.bus;

/**
 * Sent by the launcher to every pool shard of a clustered node once its drain delay is over: the
 * shard takes no new request of its sessions from then on (404, wherever it comes from), and
 * answers with a {@link DrainReply} when the calls in flight have finished or after
 * {@code timeoutMs}.
 */
public record DrainSessions(long timeoutMs) implements BusMessage {
}
