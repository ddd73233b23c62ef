package dev.junction.bus;

/** Asks this node's cluster verticle for the current {@link ClusterMembers} (request/reply). */
public record MembersQuery() implements BusMessage {
}
