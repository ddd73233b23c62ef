package dev.junction.upstream;

import dev.junction.bus.Addresses;
import dev.junction.bus.ProcessSlot;
import dev.junction.bus.ProcessSlotReply;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.upstream.http.HttpClients;
import dev.junction.upstream.http.StreamableHttpTransport;
import dev.junction.upstream.sse.LegacySseTransport;
import dev.junction.upstream.stdio.StderrRing;
import dev.junction.upstream.stdio.StdioTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the transports of one pool shard: Streamable HTTP and legacy HTTP+SSE transports on the
 * shard's own HTTP clients, and stdio transports once the health verticle grants a process slot. Keeps what the
 * transports share: the HTTP clients, and the newest stderr lines of each stdio upstream. Owned
 * by the shard context that created it.
 */
public final class Transports {
  /** Open GET streams per upstream host and shard; beyond it a session simply has no GET stream. */
  private static final int MAX_STREAMS_PER_UPSTREAM = 4_096;
  /** DELETEs of ended upstream sessions waiting for a connection, per shard. */
  private static final int MAX_QUEUED_DELETES = 10_000;

  private final Vertx vertx;
  private final Path stdioWorkRoot;
  private final HttpClients http;
  // Owned by the creating context.
  /** The newest stderr lines of each stdio upstream's processes on this shard. */
  private final Map<String, StderrRing> stderr = new HashMap<>();

  /** @param stdioWorkRoot where each process without a configured {@code cwd} gets its working directory */
  public Transports(Vertx vertx, Path stdioWorkRoot) {
    this.vertx = vertx;
    this.stdioWorkRoot = stdioWorkRoot;
    HttpClientOptions client = new HttpClientOptions()
        .setConnectTimeout((int) UpstreamOptions.DEFAULT_CONNECT_TIMEOUT_MS);
    this.http = new HttpClients(
        vertx.createHttpClient(client, new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(1_024)),
        vertx.createHttpClient(client,
            new PoolOptions().setHttp1MaxSize(MAX_STREAMS_PER_UPSTREAM).setMaxWaitQueueSize(0)),
        // a DELETE that finds the queue full is dropped: the upstream ends the session on its own
        vertx.createHttpClient(client, new PoolOptions().setHttp1MaxSize(8).setMaxWaitQueueSize(MAX_QUEUED_DELETES)));
  }

  /**
   * A transport for one new upstream session.
   *
   * @param credentials the resolved credential headers, sent with the configured ones (HTTP)
   * @param listen whether an HTTP transport opens the GET stream (false when no client of the
   *     session could receive server-initiated messages)
   */
  public Future<UpstreamTransport> create(UpstreamOptions options, Map<String, String> credentials, boolean listen) {
    return switch (options.transport()) {
      case STDIO -> processSlot(options);
      case STREAMABLE_HTTP -> {
        Map<String, String> headers = new HashMap<>(options.headers());
        headers.putAll(credentials);
        yield Future.succeededFuture(new StreamableHttpTransport(vertx, http, listen, options, headers));
      }
      case SSE -> {
        Map<String, String> headers = new HashMap<>(options.headers());
        headers.putAll(credentials);
        yield Future.succeededFuture(new LegacySseTransport(vertx, http.requests(), http.streams(), options, headers));
      }
    };
  }

  /**
   * A stdio transport, once the health verticle grants a process slot (the upstream's
   * {@code maxProcesses} hold across shards); the slot goes back when the process has exited.
   */
  private Future<UpstreamTransport> processSlot(UpstreamOptions options) {
    String upstream = options.name();
    return vertx.eventBus().<ProcessSlotReply>request(Addresses.HEALTH_PROCESSES, new ProcessSlot(upstream, true))
        .compose(granted -> {
          if (!granted.body().granted()) {
            return Future.failedFuture(JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, upstream,
                "process limit reached (maxProcesses " + options.maxProcesses() + ")"));
          }
          StderrRing ring = stderr.computeIfAbsent(upstream, u -> new StderrRing(options.stderrLines()));
          return Future.succeededFuture(new StdioTransport(vertx, options, stdioWorkRoot, ring,
              () -> vertx.eventBus().send(Addresses.HEALTH_PROCESSES, new ProcessSlot(upstream, false))));
        });
  }

  /** The newest stderr lines by stdio upstream, for the admin view. */
  public JsonObject stderrView() {
    JsonObject view = new JsonObject();
    stderr.forEach((upstream, ring) -> view.put(upstream, ring.toJson()));
    return view;
  }

  /** Closes the HTTP clients (after the sessions on them have closed). */
  public Future<?> close() {
    return Future.join(http.requests().close(), http.streams().close(), http.deletes().close());
  }
}
