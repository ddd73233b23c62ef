package dev.junction.pool;

import dev.junction.routing.Endpoint;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A session-based client's session (2025-03-26 to 2025-11-25). Owned by its shard's context; the
 * session id names the shard ({@code <shard>.<random>}) so ingress can route without a lookup.
 */
final class DownstreamSession extends Scope {
  /**
   * A server-to-client request sent to this client, awaiting its answer: an upstream's (relayed
   * back to it with its id), or the gateway's own for an input-required round ({@code answer}).
   */
  record ServerRequest(UpstreamSession upstream, Object upstreamId, Promise<JsonObject> answer) {
    ServerRequest(UpstreamSession upstream, Object upstreamId) {
      this(upstream, upstreamId, null);
    }
  }

  final String id;
  final Endpoint endpoint;
  /** The SHA-256 of the API key its initialize came with, or null: a reload that removes that key ends it. */
  final String apiKey;
  /**
   * A reload took the session away while a call of it was in flight: it takes no new request and
   * ends when its last call has been answered.
   */
  boolean ending;
  /** Requests of this client being answered now. */
  int calls;
  /** The open GET stream's exchange address, or null. */
  String streamAddress;
  final Map<String, ServerRequest> serverRequests = new HashMap<>();
  /** Content hash of each upstream list last announced to this client ("upstream method"). */
  final Map<String, String> listHashes = new HashMap<>();
  /** When each list_changed notification was last sent, and which are waiting out the throttle. */
  final Map<String, Long> lastNotified = new HashMap<>();
  final Set<String> pendingNotifications = new HashSet<>();
  private long nextServerRequestId = 1;

  DownstreamSession(String id, String tenantKey, Endpoint endpoint, String apiKey, JsonObject capabilities,
      JsonObject clientInfo, String protocolVersion) {
    super(tenantKey, capabilities, clientInfo, protocolVersion);
    this.id = id;
    this.endpoint = endpoint;
    this.apiKey = apiKey;
  }

  @Override
  DownstreamSession session() {
    return this;
  }

  /** A fresh id for a server-to-client request, unique in this session. */
  String nextServerRequestId() {
    return "junction-" + nextServerRequestId++;
  }
}
