package dev.junction.bus;

import java.util.UUID;

/** Every event-bus address Junction uses is built here. */
public final class Addresses {
  private static final String POOL = "junction.pool.";
  private static final String EXCHANGE = "junction.exchange.";

  /** Health state changes, applied by every shard to its own copy (publish). */
  public static final String HEALTH_CHANGES = "junction.health.changes";
  /** Readiness query (request/reply). */
  public static final String HEALTH_READY = "junction.health.ready";
  /** The launcher tells health that the gateway is up (send). */
  public static final String HEALTH_STARTED = "junction.health.started";
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

  /** The name of exchange {@code n} of the ingress instance whose events go to {@code events}. */
  public static String exchange(String events, long n) {
    return events + '#' + n;
  }

  /** Where the events of an exchange go: its ingress instance's address. */
  public static String eventsOf(String exchange) {
    return exchange.substring(0, exchange.lastIndexOf('#'));
  }
}
