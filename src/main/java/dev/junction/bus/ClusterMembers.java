package dev.junction.bus;

import java.util.List;

/**
 * The cluster's members as this node sees them, published on this node only whenever a member
 * joins, announces that it leaves, or leaves; each receiver keeps its own copy.
 *
 * @param node this node's id
 * @param members the ids of every member, this node included
 * @param leaving members that announced a clean departure ({@link NodeLeaving}): drained, their
 *     sessions are over, but they still answer what was already sent to them
 */
public record ClusterMembers(String node, List<String> members, List<String> leaving) implements BusMessage {
  public ClusterMembers {
    members = List.copyOf(members);
    leaving = List.copyOf(leaving);
  }
}
