/**
 * Upstream transports: how the gateway reaches an MCP server. Every transport is owned by the
 * pool shard context that created it; foreign threads (process readers) hand their data back to
 * that context with {@code runOnContext}. A shard builds its transports with
 * {@link dev.junction.upstream.Transports}, which keeps what they share: the shard's HTTP clients
 * and the stderr lines of its stdio processes.
 */
package dev.junction.upstream;
