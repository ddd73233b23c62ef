package dev.junction.pool;

import dev.junction.bus.Addresses;
import dev.junction.bus.ClusterMembers;
import dev.junction.bus.LocalNode;
import dev.junction.bus.RelayRequest;
import dev.junction.bus.SessionCommand;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A pool shard's part in a cluster (cluster/package-info.java): the cluster-wide addresses at
 * which other nodes forward the requests of sessions this shard owns, and forgetting the GET
 * streams of ingress nodes that left. Nothing here runs when the gateway is alone.
 */
final class ClusterShard {
  private ClusterShard() {
  }

  /**
   * Registers the shard's cluster addresses (relay and session commands) when clustered; every
   * other address of the shard stays node-local.
   */
  static List<MessageConsumer<?>> consumers(Vertx vertx, int shard, Handler<Message<RelayRequest>> relay,
      Handler<Message<SessionCommand>> commands, Collection<DownstreamSession> sessions) {
    String node = LocalNode.id(vertx);
    if (node == null) {
      return List.of();
    }
    String pool = Addresses.nodePool(node, shard);
    return List.of(vertx.eventBus().consumer(pool, relay),
        vertx.eventBus().consumer(Addresses.sessionsOf(pool), commands),
        vertx.eventBus().<ClusterMembers>localConsumer(Addresses.CLUSTER_MEMBERS,
            m -> forgetStreams(sessions, Set.copyOf(m.body().members()))));
  }

  /**
   * A GET stream held by a node that left is gone with it: the session may open a new one through
   * another node (else that would be refused as a second stream).
   */
  static void forgetStreams(Collection<DownstreamSession> sessions, Set<String> members) {
    for (DownstreamSession ds : sessions) {
      String holder = ds.streamAddress == null ? null : Addresses.nodeOf(ds.streamAddress);
      if (holder != null && !members.contains(holder)) {
        ds.streamAddress = null;
      }
    }
  }
}
