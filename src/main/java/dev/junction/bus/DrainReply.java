package dev.junction.bus;

/** A pool shard's answer to {@link DrainSessions}: how many calls were still in flight (0 when all finished). */
public record DrainReply(int unfinished) implements BusMessage {
}
