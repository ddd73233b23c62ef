package dev.junction.upstream.http;

import io.vertx.core.http.HttpClient;
import java.util.HashMap;
import java.util.Map;

/**
 * A shard's HTTP clients for Streamable HTTP upstreams, kept apart so that one kind of traffic
 * cannot starve another: {@code requests} for messages, {@code streams} for long-lived GET streams
 * (each holds a connection for the life of its session), {@code deletes} for ending sessions (a
 * burst of reaped sessions must not queue ahead of calls). Also the upstream URLs taken apart,
 * one per URL for all of the shard's sessions. Owned by the shard context.
 */
public final class HttpClients {
  private final HttpClient requests;
  private final HttpClient streams;
  private final HttpClient deletes;
  private final Map<String, Target> targets = new HashMap<>();

  public HttpClients(HttpClient requests, HttpClient streams, HttpClient deletes) {
    this.requests = requests;
    this.streams = streams;
    this.deletes = deletes;
  }

  public HttpClient requests() {
    return requests;
  }

  public HttpClient streams() {
    return streams;
  }

  public HttpClient deletes() {
    return deletes;
  }

  /** The URL taken apart; parsed on its first use on this shard. */
  Target target(String url) {
    return targets.computeIfAbsent(url, Target::of);
  }
}
