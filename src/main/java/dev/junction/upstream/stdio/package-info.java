/**
 * stdio upstreams: child processes. State is owned by the pool shard context that started the
 * process; reader threads only hand lines back to it.
 */
package dev.junction.upstream.stdio;
