package dev.junction.bus;

import java.util.List;

/**
 * The cluster's members as this node sees them, published on this node only whenever a member
 * joins or leaves; each receiver keeps its own copy.
 *
 * @param node this node's id
 * @param members the ids of every member, this node included
 */
public record ClusterMembers(String node, List<String> members) implements BusMessage {
  public ClusterMembers {
    members = List.copyOf(members);
  }
}
