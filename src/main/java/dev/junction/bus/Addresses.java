package dev.junction.bus;

import java.util.UUID;

/** Every event-bus address Junction uses is built here. */
public final class Addresses {
  private static final String POOL = "junction.pool.";
  private static final String EXCHANGE = "junction.exchange.";
  private static final String NODE = "junction.node.";

  /** Cluster membership changes, on this node only (publish of {@link ClusterMembers}). */
  public static final String CLUSTER_MEMBERS = "junction.cluster.members";
  /** The current {@link ClusterMembers} of this node (request/reply). */
  public static final String CLUSTER_MEMBERS_QUERY = "junction.cluster.members.query";
  /**
   * A node's clean departure ({@link NodeLeaving}), published to every node: the one address that
   * each node's cluster verticle registers cluster-wide under the same name.
   */
  public static final String CLUSTER_LEAVING = "junction.cluster.leaving";

  /** Health state changes, applied by every shard to its own copy (publish). */
  public static final String HEALTH_CHANGES = "junction.health.changes";
  /** Readiness query (request/reply). */
  public static final String HEALTH_READY = "junction.health.ready";
  /** The launcher tells health that the gateway is up (send). */
  public static final String HEALTH_STARTED = "junction.health.started";
  /** Where the reload verticle publishes each new config version (local to the node). */
  public static final String CONFIG_CHANGED = "junction.config.changed";
  /** Where ingress instances and shards say they applied a version ({@code ConfigApplied}). */
  public static final String CONFIG_APPLIED = "junction.config.applied";
  /** Where SIGHUP and {@code POST /admin/reload} ask for a reload ({@code ReloadConfig}, {@code ReloadReply}). */
  public static final String CONFIG_RELOAD = "junction.config.reload";
  /** The node is draining: readiness fails and listeners close gracefully (publish). */
  public static final String DRAIN = "junction.drain";
  /** Call and session-start outcomes from shards (send). */
  public static final String HEALTH_OUTCOMES = "junction.health.outcomes";
  /** Process slots of stdio upstreams (request/reply to take, send to give back). */
  public static final String HEALTH_PROCESSES = "junction.health.processes";
  /** The admin view of every upstream (request/reply). */
  public static final String HEALTH_UPSTREAMS = "junction.health.upstreams";
  /** Upstream credential changes (publish). */
  public static final String CREDENTIALS_CHANGED = "junction.oauth.changed";
  /** The inbound issuer's keys (publish), and queries for them (request/reply on {@link #OAUTH_KEYS_QUERY}). */
  public static final String OAUTH_KEYS = "junction.oauth.keys";
  public static final String OAUTH_KEYS_QUERY = "junction.oauth.keys.query";
  /** Introspection of opaque client tokens (request/reply). */
  public static final String OAUTH_INTROSPECT = "junction.oauth.introspect";
  /** Renewal of upstream credentials after a 401 (request/reply). */
  public static final String OAUTH_REFRESH = "junction.oauth.refresh";
  /** Outbound credential requests (request/reply). */
  public static final String OAUTH_TOKEN = "junction.oauth.token";

  private Addresses() {
  }

  /** Where the health verticle answers heartbeats (request/reply). */
  public static final String HEALTH_HEARTBEAT = "junction.health.heartbeat";

  /** Where pool shard {@code shard} answers heartbeats (request/reply). */
  public static String heartbeat(int shard) {
    return POOL + shard + ".heartbeat";
  }

  /** The address at which pool shard {@code shard} probes upstreams for the health verticle (request/reply). */
  public static String probe(int shard) {
    return POOL + shard + ".probe";
  }

  /** The address of pool shard {@code shard}: relayed messages. */
  public static String pool(int shard) {
    return POOL + shard;
  }

  /** Pool shard {@code shard}'s session commands (GET streams, DELETE, cancels). */
  public static String sessions(int shard) {
    return sessionsOf(pool(shard));
  }

  /** The session-command address of the shard whose relay address is {@code pool}. */
  public static String sessionsOf(String pool) {
    return pool + ".session";
  }

  /** Where pool shard {@code shard} drains its sessions when a clustered node stops ({@link DrainSessions}). */
  public static String drain(int shard) {
    return POOL + shard + ".drain";
  }

  /** Pool shard {@code shard}'s admin view. */
  public static String admin(int shard) {
    return POOL + shard + ".admin";
  }

  /**
   * A fresh address for one ingress instance's stream events. Its exchanges (a POST being
   * answered, or a GET stream) are named by this address, {@code #} and the instance's own
   * counter: one consumer per instance takes every event, so no handler is registered (and no
   * random number drawn) per request.
   */
  public static String newIngressEvents() {
    return EXCHANGE + UUID.randomUUID();
  }

  /**
   * As {@link #newIngressEvents()}, on a node of a cluster: the address names the node, so that an
   * owner shard on another node streams a forwarded request's events back to this instance.
   */
  public static String newIngressEvents(String node) {
    return node == null ? newIngressEvents() : NODE + node + ".exchange." + UUID.randomUUID();
  }

  /** Where node {@code node}'s pool shard {@code shard} takes relayed messages forwarded by other nodes. */
  public static String nodePool(String node, int shard) {
    return NODE + node + ".pool." + shard;
  }

  /** Where node {@code node} answers liveness pings of nodes that forward to it (request/reply). */
  public static String nodePing(String node) {
    return NODE + node + ".ping";
  }

  /** The node named by a cluster address (a node's pool, session or exchange address), or null. */
  public static String nodeOf(String address) {
    if (!address.startsWith(NODE)) {
      return null;
    }
    int end = address.indexOf('.', NODE.length());
    return end < 0 ? null : address.substring(NODE.length(), end);
  }

  /**
   * Where the ingress instance that holds legacy HTTP+SSE connection {@code id} (2024-11-05) takes
   * the client's POSTs for it, from any instance or node.
   */
  public static String legacySse(String id) {
    return "junction.legacy-sse." + id;
  }

  /** The name of exchange {@code n} of the ingress instance whose events go to {@code events}. */
  public static String exchange(String events, long n) {
    return events + '#' + n;
  }

  /** Where the events of an exchange go: its ingress instance's address. */
  public static String eventsOf(String exchange) {
    return exchange.substring(0, exchange.lastIndexOf('#'));
  }
}
