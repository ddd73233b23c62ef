/**
 * Upstream transports: how the gateway reaches an MCP server. Every transport is owned by the
 * pool shard context that created it; foreign threads (process readers) hand their data back to
 * that context with {@code runOnContext}.
 */
package dev.junction.upstream;
