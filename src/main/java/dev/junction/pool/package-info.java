/**
 * Pool shards. Each {@link dev.junction.pool.PoolShardVerticle} owns its downstream sessions,
 * tenant scopes, upstream sessions and transports; all of it is touched only on that verticle's
 * context. Other verticles reach a shard through the event bus only.
 */
package dev.junction.pool;
