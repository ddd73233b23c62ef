package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.ClusterMembers;
import dev.junction.bus.Heartbeat;
import dev.junction.bus.LocalNode;
import dev.junction.bus.MembersQuery;
import dev.junction.bus.SessionIds;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.metrics.JunctionMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a session's requests go, and the requests of this ingress instance that travel to
 * another node (cluster/package-info.java). A session owned here goes to the local shard; one
 * owned by a live member goes to that node's cluster address; one owned by a node that is not a
 * member, or that announced its departure, is unknown (404), and so is one whose shard the owner
 * does not have (no consumer at the address). A forward in flight fails with -32603 when its node leaves the cluster
 * or stops answering the liveness ping sent every {@link #PING_PERIOD_MS} while forwards are in
 * flight, so that no request waits for the cluster manager to notice a dead node. Owned by the
 * ingress context; without a cluster every address is local and nothing is tracked.
 */
final class Forwards {
  /** How often a node with forwards in flight is pinged. */
  static final long PING_PERIOD_MS = 1_000;
  /** A ping unanswered this long means the node is gone (a loaded node answers within it). */
  static final long PING_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final String node;
  private final int shards;
  private final JunctionMetrics metrics;
  private final DeliveryOptions ping = new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS);
  // Owned by the ingress context.
  private Set<String> members = Set.of();
  /** Members that announced their departure: drained, they own no session any more. */
  private Set<String> leaving = Set.of();
  /** What to end when a node is lost: forwards in flight and open streams, by node. */
  private final Map<String, Set<Runnable>> watched = new HashMap<>();
  /** The ping timer of each watched node. */
  private final Map<String, Long> pings = new HashMap<>();
  /** Nodes with a ping on the way: one at a time, as a ping may take longer than the period. */
  private final Set<String> pinging = new HashSet<>();

  Forwards(Vertx vertx, int shards, JunctionMetrics metrics) {
    this.vertx = vertx;
    this.node = LocalNode.id(vertx);
    this.shards = shards;
    this.metrics = metrics;
    if (node != null) {
      members = Set.of(node);
      vertx.eventBus().<ClusterMembers>localConsumer(Addresses.CLUSTER_MEMBERS, m -> members(m.body()));
      vertx.eventBus().<ClusterMembers>request(Addresses.CLUSTER_MEMBERS_QUERY, new MembersQuery())
          .onSuccess(m -> members(m.body()));
    }
  }

  /** This node's id, or null when not clustered. */
  String node() {
    return node;
  }

  /** The cluster's members as this instance last heard. */
  int members() {
    return members.size();
  }

  /** The relay address of the shard that owns session {@code sessionId}, or null when the session cannot exist. */
  String poolOf(String sessionId) {
    SessionIds.Owner owner = SessionIds.owner(sessionId, node, shards);
    if (owner == null) {
      return null;
    }
    if (owner.local()) {
      return Addresses.pool(owner.shard());
    }
    // a node that is not (or no longer) a member owns nothing: its sessions are gone
    return members.contains(owner.node()) && !leaving.contains(owner.node())
        ? Addresses.nodePool(owner.node(), owner.shard()) : null;
  }

  /** Whether {@code address} is this node's (always, without a cluster). */
  boolean local(String address) {
    String owner = Addresses.nodeOf(address);
    return owner == null || owner.equals(node);
  }

  /**
   * A request to {@code address}; when that is another node's, it counts as a forward of
   * {@code kind} and fails when the node is lost. A member without a consumer at the address
   * (a shard it does not have, or one already stopped as it leaves) fails it with
   * {@link JunctionError#UNKNOWN_SESSION}: no such session.
   */
  <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options, String kind) {
    if (local(address)) {
      return vertx.eventBus().request(address, body, options);
    }
    String owner = Addresses.nodeOf(address);
    metrics.forwarded(kind);
    Promise<Message<T>> promise = Promise.promise();
    Runnable lost = () -> {
      if (promise.tryFail(new JunctionException(JunctionError.INTERNAL, "the node that owns the session is gone"))) {
        metrics.forwardFailed("node_lost");
      }
    };
    watch(owner, lost);
    vertx.eventBus().<T>request(address, body, options).onComplete(ar -> {
      unwatch(owner, lost);
      ReplyFailure failure = ar.cause() instanceof ReplyException e ? e.failureType() : null;
      if (failure == ReplyFailure.NO_HANDLERS) {
        promise.tryFail(new JunctionException(JunctionError.UNKNOWN_SESSION, "no such shard on the owner node"));
        return;
      }
      if (ar.failed() && !promise.future().isComplete()) {
        metrics.forwardFailed(failure == ReplyFailure.TIMEOUT ? "timeout" : "error");
      }
      if (ar.succeeded()) {
        promise.tryComplete(ar.result());
      } else {
        promise.tryFail(ar.cause());
      }
    });
    return promise.future();
  }

  /**
   * Runs {@code onLost} if the node named by {@code address} (a GET stream's session address) is
   * lost before {@link #unwatch}; a local address is never lost. Returns the node watched, or null.
   */
  String watchStream(String address, Runnable onLost) {
    String owner = Addresses.nodeOf(address);
    if (owner == null || owner.equals(node)) {
      return null;
    }
    watch(owner, onLost);
    return owner;
  }

  private void watch(String owner, Runnable onLost) {
    if (!members.contains(owner)) {
      onLost.run();
      return;
    }
    watched.computeIfAbsent(owner, n -> new LinkedHashSet<>()).add(onLost);
    pings.computeIfAbsent(owner, n -> vertx.setPeriodic(PING_PERIOD_MS, PING_PERIOD_MS, t -> ping(n)));
  }

  void unwatch(String owner, Runnable onLost) {
    if (owner == null) {
      return;
    }
    Set<Runnable> set = watched.get(owner);
    if (set != null && set.remove(onLost) && set.isEmpty()) {
      stop(owner);
    }
  }

  private void stop(String owner) {
    watched.remove(owner);
    Long timer = pings.remove(owner);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void ping(String owner) {
    if (!pinging.add(owner)) {
      return;
    }
    vertx.eventBus().request(Addresses.nodePing(owner), new Heartbeat(), ping).onComplete(ar -> {
      pinging.remove(owner);
      if (ar.failed()) {
        lost(owner);
      }
    });
  }

  private void members(ClusterMembers view) {
    members = Set.copyOf(view.members());
    leaving = Set.copyOf(view.leaving());
    for (String owner : List.copyOf(watched.keySet())) {
      if (!members.contains(owner)) {
        lost(owner);
      }
    }
  }

  /** Whether {@code failure} says that the session does not exist (see {@link #request}). */
  static boolean unknownSession(Throwable failure) {
    return failure instanceof JunctionException e && e.error() == JunctionError.UNKNOWN_SESSION;
  }

  /** Ends everything that waits on {@code owner}. */
  private void lost(String owner) {
    Set<Runnable> waiting = watched.get(owner);
    stop(owner);
    if (waiting != null) {
      waiting.forEach(Runnable::run);
    }
  }
}
