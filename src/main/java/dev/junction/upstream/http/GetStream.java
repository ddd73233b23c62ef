package dev.junction.upstream.http;

import dev.junction.binding.Sizes;
import dev.junction.config.UpstreamOptions;
import dev.junction.mcp.McpMeta;
import dev.junction.upstream.sse.SseParser;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GET stream of one upstream session (basic/transports, "Listening for Messages from the
 * Server"): optional; a server that answers 405 has none. It carries messages unrelated to any
 * request. Owned by the transport's context.
 */
final class GetStream {
  /** The transport's own logger: these lines are the transport's. */
  private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpTransport.class);

  private final HttpClient client;
  private final UpstreamOptions options;
  // Owned by the transport's context.
  private HttpClientRequest request;

  /** @param client the shard's client for GET streams */
  GetStream(HttpClient client, UpstreamOptions options) {
    this.client = client;
    this.options = options;
  }

  /**
   * Opens the stream; each message it carries goes to {@code sink}. Completes once the upstream
   * has answered the GET (whether or not it keeps a stream), or the request failed.
   */
  Future<Void> open(RequestOptions get, Consumer<JsonObject> sink) {
    return client.request(get.putHeader("Accept", McpMeta.SSE))
        .compose(req -> {
          request = req;
          return req.send();
        })
        .onSuccess(resp -> {
          String type = resp.getHeader("Content-Type");
          if (resp.statusCode() != 200 || type == null || !type.toLowerCase().startsWith(McpMeta.SSE)) {
            request = null;
            resp.end();
            return;
          }
          resp.handler(new SseParser(options.maxEventSize(), event -> {
            JsonObject msg = Messages.decode(event.data(), options.name());
            if (msg != null) {
              sink.accept(msg);
            }
          }, () -> {
            // no call to fail: the stream ends, as when the upstream closes it
            LOG.warn("upstream {}: GET stream event exceeded {}, stream closed", options.name(),
                Sizes.format(options.maxEventSize()));
            close();
          }));
          resp.endHandler(v -> request = null);
          resp.exceptionHandler(err -> request = null);
        })
        .onFailure(err -> request = null)
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }

  /** Ends the stream, if open. */
  void close() {
    if (request != null) {
      request.reset();
      request = null;
    }
  }
}
