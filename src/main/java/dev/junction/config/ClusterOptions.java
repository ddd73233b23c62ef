package dev.junction.config;

import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Binder;
import dev.junction.binding.Key;
import java.util.List;

/**
 * Cluster mode ({@code cluster:}): this node joins other Junction nodes on the Vert.x clustered
 * event bus, with Hazelcast as the cluster manager, so that a session works whichever node a
 * request reaches. Off by default.
 *
 * @param host the address this node binds and announces for cluster traffic (Hazelcast and the event bus)
 * @param members static members ({@code host:port}) joined over TCP; empty with Kubernetes DNS discovery
 * @param serviceDns the DNS name of the headless Service whose addresses are the members, or null
 */
public record ClusterOptions(
    @Key(value = "false", doc = "Join other Junction nodes on the clustered event bus.") boolean enabled,
    @Key(value = "127.0.0.1", doc = "This node's own address for cluster traffic (never a wildcard); cluster"
        + " traffic binds only to it.") String host,
    @Key(value = "5701", max = 65535, must = "be 1..65535, got %s", doc = "The Hazelcast member port.") int port,
    @Key(value = "0", min = 0, max = 65535, must = "be 0..65535, got %s",
        doc = "The event bus's TCP port; 0 takes any free port.") int busPort,
    @Key(pattern = "[^\\s:]+:\\d{1,5}", must = "be host:port, got '%s'", doc = "Static members joined over TCP"
        + " (host:port); a node with none and no kubernetes.serviceDns joins only itself.") List<String> members,
    @Key(name = "kubernetes.serviceDns", doc = "The DNS name of a headless Service whose addresses are the"
        + " members (Kubernetes discovery).") String serviceDns,
    @Key(name = "memberTimeout", value = "10s", unit = MILLIS, min = 1_000, must = "be at least 1s",
        doc = "A member silent this long is removed from the cluster.") long memberTimeoutMs)
    implements Binder.Checked {

  @Override
  public void check(Binder.Section s) {
    if (host.isBlank()) {
      s.error("host", "must not be empty");
    } else if ("0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host)) {
      // other members connect to this address: it must be this node's own
      s.error("host", "must be this node's address, not a wildcard");
    }
    if (serviceDns != null && serviceDns.isBlank()) {
      s.error("kubernetes.serviceDns", "must not be empty");
    }
    if (enabled && serviceDns != null && !members.isEmpty()) {
      s.error("", "set either members or kubernetes.serviceDns, not both");
    }
  }
}
