/**
 * Streamable HTTP upstreams. Each transport and the HTTP client it uses are owned by one pool
 * shard context.
 */
package dev.junction.upstream.http;
