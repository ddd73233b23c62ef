package dev.junction.pool;

import java.util.Map;

/**
 * One downstream request in flight through a shard: where its stream goes and what to restore on
 * the way back. Owned by the shard context.
 */
final class Call {
  final Scope scope;
  final String exchange;
  final Object downstreamId;
  final Object progressToken;
  /** A 2026-07-28 tools/call's {@code Mcp-Param-*} headers, for a 2026-07-28 upstream; usually null. */
  Map<String, String> paramHeaders;
  /** Stream events sent so far, so ingress can write the final response after all of them. */
  int streamed;
  /**
   * The latest retry of an input-required round that carries this call on ({@link MrtrRounds}), or
   * null: what the upstream call still says (progress, logging) goes to the request that waits now.
   */
  Call resumedBy;

  Call(Scope scope, String exchange, Object downstreamId, Object progressToken) {
    this.scope = scope;
    this.exchange = exchange;
    this.downstreamId = downstreamId;
    this.progressToken = progressToken;
  }

  /** The request that speaks for this call now: the retry that resumed it, or the call itself. */
  Call current() {
    return resumedBy == null ? this : resumedBy;
  }
}
