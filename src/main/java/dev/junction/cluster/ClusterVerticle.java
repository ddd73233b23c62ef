package dev.junction.cluster;

import dev.junction.bus.Addresses;
import dev.junction.bus.ClusterMembers;
import dev.junction.bus.Heartbeat;
import dev.junction.bus.MembersQuery;
import dev.junction.bus.NodeLeaving;
import dev.junction.metrics.JunctionMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of the cluster: answers other nodes' liveness pings on its node address, and
 * publishes the member list on this node whenever a member joins, announces its departure
 * ({@link NodeLeaving}, after its drain) or leaves, so that ingress instances and pool shards apply
 * it to their own copies. Deployed first, and only in cluster mode.
 */
public final class ClusterVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final ClusterManager manager;
  // Owned by this verticle's context.
  private ClusterMembers view;
  /** Members that announced their departure and have not left yet. */
  private final Set<String> leaving = new LinkedHashSet<>();
  private JunctionMetrics metrics;

  public ClusterVerticle(ClusterManager manager) {
    this.manager = manager;
  }

  @Override
  public Future<?> start() {
    metrics = JunctionMetrics.create();
    String node = manager.getNodeId();
    view = new ClusterMembers(node, manager.getNodes(), List.of());
    metrics.clusterMembers(view.members().size());
    Context context = this.context;
    // Hazelcast calls this on its own threads: back to this verticle's context
    manager.nodeListener(new NodeListener() {
      @Override
      public void nodeAdded(String id) {
        context.runOnContext(v -> changed(id, false));
      }

      @Override
      public void nodeLeft(String id) {
        context.runOnContext(v -> changed(id, true));
      }
    });
    LOG.info("cluster node {} joined; {} member(s)", node, view.members().size());
    var ping = vertx.eventBus().<Heartbeat>consumer(Addresses.nodePing(node), m -> m.reply(m.body()));
    var query = vertx.eventBus().<MembersQuery>localConsumer(Addresses.CLUSTER_MEMBERS_QUERY, m -> m.reply(view));
    var departures = vertx.eventBus().<NodeLeaving>consumer(Addresses.CLUSTER_LEAVING, m -> leaving(m.body().node()));
    return Future.all(ping.completion(), query.completion(), departures.completion());
  }

  private void leaving(String id) {
    if (id.equals(view.node()) || !view.members().contains(id) || !leaving.add(id)) {
      return;
    }
    LOG.info("cluster node {} is leaving; its sessions are over", id);
    view = new ClusterMembers(view.node(), view.members(), List.copyOf(leaving));
    vertx.eventBus().publish(Addresses.CLUSTER_MEMBERS, view, LOCAL);
  }

  private void changed(String id, boolean left) {
    List<String> members = manager.getNodes();
    if (left) {
      // the manager may still list a member it has just reported gone
      members = members.stream().filter(m -> !m.equals(id)).toList();
      leaving.remove(id);
    }
    view = new ClusterMembers(view.node(), members, List.copyOf(leaving));
    metrics.clusterMembers(members.size());
    LOG.info("cluster node {} {}; {} member(s)", id, left ? "left" : "joined", members.size());
    vertx.eventBus().publish(Addresses.CLUSTER_MEMBERS, view, LOCAL);
  }
}
