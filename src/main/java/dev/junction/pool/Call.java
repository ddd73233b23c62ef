package dev.junction.pool;

/**
 * One downstream request in flight through a shard: where its stream goes and what to restore on
 * the way back. Owned by the shard context.
 */
final class Call {
  final Scope scope;
  final String exchange;
  final Object downstreamId;
  final Object progressToken;
  /** Stream events sent so far, so ingress can write the final response after all of them. */
  int streamed;

  Call(Scope scope, String exchange, Object downstreamId, Object progressToken) {
    this.scope = scope;
    this.exchange = exchange;
    this.downstreamId = downstreamId;
    this.progressToken = progressToken;
  }
}
