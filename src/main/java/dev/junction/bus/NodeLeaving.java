package dev.junction.bus;

/**
 * Published to every node ({@link Addresses#CLUSTER_LEAVING}) by a node whose drain is over,
 * just before it leaves the cluster: its sessions are over, so the other nodes answer 404 for
 * them at once instead of forwarding, while what is already on its way to it is still answered.
 *
 * @param node the leaving node's id
 */
public record NodeLeaving(String node) implements BusMessage {
}
