package dev.junction.upstream.http;

import io.vertx.core.http.HttpClient;

/**
 * A shard's HTTP clients for Streamable HTTP upstreams, kept apart so that one kind of traffic
 * cannot starve another: {@code requests} for messages, {@code streams} for long-lived GET streams
 * (each holds a connection for the life of its session), {@code deletes} for ending sessions (a
 * burst of reaped sessions must not queue ahead of calls). Owned by the shard context.
 */
public record HttpClients(HttpClient requests, HttpClient streams, HttpClient deletes) {
}
