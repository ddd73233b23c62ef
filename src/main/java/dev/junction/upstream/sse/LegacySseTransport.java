package dev.junction.upstream.sse;

import dev.junction.binding.Sizes;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.error.Outcome;
import dev.junction.jsonrpc.JsonBytes;
import dev.junction.mcp.McpMeta;
import dev.junction.upstream.UpstreamTransport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A legacy HTTP+SSE upstream (basic/transports of 2024-11-05, "HTTP with SSE"). The GET stream is
 * the session: its first {@code endpoint} event names the URL that takes the client's messages as
 * POSTs, and every message of the server (responses included) comes back as a {@code message}
 * event on that stream. A POST is answered with 202 (or 200) and no JSON-RPC content, so a request
 * fails at once only when its POST does; otherwise its answer arrives on the stream.
 *
 * <p>The stream ending ends the session: every pending request fails and the session layer starts
 * a new one on the next call. Owned by the pool shard context that created it.
 */
public final class LegacySseTransport implements UpstreamTransport {
  private static final Logger LOG = LoggerFactory.getLogger(LegacySseTransport.class);

  private final Vertx vertx;
  private final HttpClient requests;
  private final HttpClient streams;
  private final UpstreamOptions options;
  private final Map<String, String> headers;
  private final URI base;

  // Owned by the creating context.
  private final Thread owner = Thread.currentThread();
  private Listener listener;
  /** The GET request that holds the stream open. */
  private HttpClientRequest stream;
  /** Where messages are POSTed, from the stream's {@code endpoint} event. */
  private URI endpoint;
  private boolean closed;

  /**
   * @param requests the shard's client for POSTs
   * @param streams the shard's client for long-lived streams (one connection each)
   * @param headers the configured headers plus resolved credentials, sent on the GET and every POST
   */
  public LegacySseTransport(Vertx vertx, HttpClient requests, HttpClient streams, UpstreamOptions options,
      Map<String, String> headers) {
    this.vertx = vertx;
    this.requests = requests;
    this.streams = streams;
    this.options = options;
    this.headers = Map.copyOf(headers);
    this.base = URI.create(options.url());
  }

  /** Opens the stream; completes once its {@code endpoint} event has named the POST URL. */
  @Override
  public Future<Void> start(Listener listener) {
    this.listener = listener;
    Promise<Void> ready = Promise.promise();
    long timer = vertx.setTimer(options.connectTimeoutMs(), t -> {
      if (ready.tryFail(JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE,
          options.name(), "no endpoint event within " + options.connectTimeoutMs() + " ms"))) {
        close();
      }
    });
    ready.future().onComplete(ar -> vertx.cancelTimer(timer));
    streams.request(request(HttpMethod.GET, base).putHeader("Accept", McpMeta.SSE))
        .compose(req -> {
          stream = req;
          return req.send();
        })
        .onSuccess(resp -> opened(resp, ready))
        .onFailure(ready::tryFail);
    return ready.future();
  }

  private void opened(HttpClientResponse resp, Promise<Void> ready) {
    String type = resp.getHeader("Content-Type");
    if (resp.statusCode() != 200 || type == null || !type.toLowerCase().startsWith(McpMeta.SSE)) {
      resp.end();
      ready.tryFail(JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, options.name(),
          "GET answered HTTP " + resp.statusCode() + " without an event stream"));
      return;
    }
    resp.handler(new SseParser(options.maxEventSize(), event -> onEvent(event, ready), () -> {
      LOG.warn("upstream {}: event exceeded {}, stream closed", options.name(), Sizes.format(options.maxEventSize()));
      ended("event over the size limit", ready);
    }));
    resp.endHandler(v -> ended("the upstream ended the event stream", ready));
    resp.exceptionHandler(err -> ended("the event stream failed", ready));
  }

  private void onEvent(SseParser.Event event, Promise<Void> ready) {
    if (closed) {
      return;
    }
    if ("endpoint".equals(event.event())) {
      if (endpoint == null) {
        try {
          endpoint = base.resolve(event.data().trim());
        } catch (IllegalArgumentException e) {
          ended("endpoint event is not a URI", ready);
          return;
        }
        if (!sameOrigin(endpoint)) {
          // the endpoint must not send the session's credentials elsewhere
          ended("endpoint event names another origin", ready);
          return;
        }
        ready.tryComplete();
      }
      return;
    }
    if (!"message".equals(event.event()) || endpoint == null) {
      return;
    }
    JsonObject msg;
    try {
      msg = new JsonObject(event.data());
    } catch (DecodeException | ClassCastException e) {
      LOG.warn("upstream {}: SSE event is not a JSON-RPC message, ignored", options.name());
      return;
    }
    listener.onMessage(msg, null);
  }

  private boolean sameOrigin(URI uri) {
    return base.getScheme().equalsIgnoreCase(uri.getScheme()) && base.getHost().equalsIgnoreCase(uri.getHost())
        && port(base) == port(uri);
  }

  private static int port(URI uri) {
    return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** The stream is gone: the session with it. */
  private void ended(String reason, Promise<Void> ready) {
    if (ready.tryFail(JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE,
        options.name(), reason))) {
      close();
      return;
    }
    if (!closed) {
      close();
      listener.onClosed(Outcome.DISCONNECTED, reason);
    }
  }

  @Override
  public Future<Void> send(JsonObject message) {
    assert Thread.currentThread() == owner : "not on the owner thread";
    if (closed || endpoint == null) {
      return Future.failedFuture("upstream " + options.name() + " transport is closed");
    }
    Object id = message.getValue("id");
    boolean isRequest = id != null && message.getString("method") != null;
    return requests.request(request(HttpMethod.POST, endpoint).putHeader("Content-Type", McpMeta.JSON))
        .compose(req -> req.send(JsonBytes.encode(message)))
        .compose(resp -> resp.end().compose(v -> resp.statusCode() < 300
            ? Future.<Void>succeededFuture()
            : Future.failedFuture("HTTP " + resp.statusCode())))
        .recover(err -> {
          if (isRequest && !closed) {
            listener.onFailure(id, Outcome.ofTransport(err), JunctionException.describe(err));
          }
          return Future.failedFuture(err);
        });
  }

  private RequestOptions request(HttpMethod method, URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
    RequestOptions ro = new RequestOptions().setMethod(method)
        .setHost(uri.getHost()).setPort(port(uri)).setSsl(ssl)
        .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
        .setConnectTimeout(options.connectTimeoutMs());
    headers.forEach(ro::putHeader);
    return ro;
  }

  @Override
  public Future<Void> close() {
    closed = true;
    if (stream != null) {
      HttpClientRequest open = stream;
      stream = null;
      open.reset();
    }
    return Future.succeededFuture();
  }
}
