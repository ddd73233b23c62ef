package dev.junction.upstream.http;

import dev.junction.binding.Sizes;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionException;
import dev.junction.error.Outcome;
import dev.junction.jsonrpc.Envelope;
import dev.junction.jsonrpc.JsonBytes;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMeta;
import dev.junction.mcp.McpMethod;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.upstream.UpstreamTransport;
import dev.junction.upstream.sse.SseParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Streamable HTTP upstream (basic/transports, "Streamable HTTP", 2025-03-26 to 2025-11-25).
 * Each message is a POST; a request's answer comes back as JSON or as an SSE stream that may also
 * carry progress, logging and server requests for it. After initialize the session id and the
 * protocol version header go on every request ({@link Requests}), and a {@link GetStream} carries
 * unrelated messages.
 *
 * <p>Threads: owned by the pool shard context that created it, like the {@link HttpClient} it
 * shares with the other transports of that shard.
 */
public final class StreamableHttpTransport implements UpstreamTransport {
  private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpTransport.class);
  private static final long DELETE_TIMEOUT_MS = 2_000;
  private static final JunctionMetrics METRICS = JunctionMetrics.create();

  private final HttpClient client;
  private final HttpClient deletes;
  private final UpstreamOptions options;

  // Owned by the creating context.
  /** Event-loop contexts run on one thread; handlers may run on duplicates of the context. */
  private final Thread owner = Thread.currentThread();
  private final Map<Object, HttpClientRequest> inFlight = new HashMap<>();
  /** The session's id, version and request headers. */
  private final Requests requests;
  /** Null while the session does not listen. */
  private GetStream getStream;
  private final HttpClient streams;
  private Listener listener;
  private boolean closed;

  /**
   * @param clients the shard's clients for requests, GET streams and DELETEs
   * @param listen whether to open the GET stream (false when no client of this session could
   *     receive server-initiated messages)
   * @param headers the headers for every request: the configured ones plus resolved credentials
   */
  public StreamableHttpTransport(Vertx vertx, HttpClients clients, boolean listen, UpstreamOptions options,
      Map<String, String> headers) {
    this.client = clients.requests();
    this.streams = clients.streams();
    this.getStream = listen ? new GetStream(streams, options) : null;
    this.deletes = clients.deletes();
    this.options = options;
    // the URL is not parsed on every request (setAbsoluteURI parses)
    this.requests = new Requests(clients.target(options.url()), headers, options.connectTimeoutMs());
  }

  @Override
  public Future<Void> start(Listener listener) {
    this.listener = listener;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> send(JsonObject message) {
    return send(message, null);
  }

  @Override
  public Future<Void> send(JsonObject message, Map<String, String> headers) {
    assert Thread.currentThread() == owner : "not on the owner thread";
    if (closed) {
      return Future.failedFuture("upstream " + options.name() + " transport is closed");
    }
    Object id = message.getValue("id");
    String method = message.getString("method");
    boolean isRequest = method != null && id != null;
    boolean isInitialize = "initialize".equals(method);
    // a tool's result is only relayed: it stays the upstream's bytes (see Envelope)
    boolean raw = McpMethod.of(method) == McpMethod.TOOLS_CALL;
    return post(message, headers, isRequest ? id : null, true)
        .compose(resp -> {
          if (isInitialize) {
            requests.sessionId(resp.getHeader(McpMeta.HEADER_SESSION_ID));
          }
          return onResponse(resp, isRequest ? id : null, isInitialize, raw);
        })
        .recover(err -> {
          if (isRequest) {
            inFlight.remove(id);
            if (!closed) {
              deliverError(id, Outcome.ofTransport(err), JunctionException.describe(err));
            }
          }
          return Future.failedFuture(err);
        });
  }

  /**
   * POSTs a message. A pooled keep-alive connection the server closed just as it was reused fails
   * before any response arrives; such a request never reached the server, so it is sent once more
   * on a fresh connection (as common HTTP clients do for stale connections).
   */
  private Future<HttpClientResponse> post(JsonObject message, Map<String, String> headers, Object id,
      boolean retry) {
    return client.request(requests.post(message, headers))
        .compose(req -> {
          if (id != null) {
            inFlight.put(id, req);
          }
          return req.send(JsonBytes.encode(message));
        })
        .recover(err -> retry && !closed && err instanceof HttpClosedException
            && (id == null || inFlight.containsKey(id))
            ? post(message, headers, id, false)
            : Future.failedFuture(err));
  }

  @Override
  public boolean stateless(boolean on) {
    requests.stateless(on);
    return true;
  }

  private Future<Void> onResponse(HttpClientResponse resp, Object requestId, boolean isInitialize, boolean raw) {
    int status = resp.statusCode();
    if (status == 202 && requestId == null) {
      return resp.end();
    }
    if (status == 404 && requests.sessionId() != null && !isInitialize) {
      // basic/transports, "Session Management": the session is gone and must be re-initialized.
      resp.end();
      if (requestId != null) {
        inFlight.remove(requestId);
      }
      // closed first, so that a caller who retries at once gets a fresh session, not this one;
      // closing fails every pending request of the session, this one included, as expired
      expire();
      return Future.failedFuture("upstream session expired");
    }
    if (status == 401 && requestId != null) {
      // the gateway's credentials were refused; the session layer renews them and retries once
      String challenge = resp.getHeader("WWW-Authenticate");
      resp.end();
      inFlight.remove(requestId);
      listener.onUnauthorized(requestId, challenge);
      return Future.failedFuture("HTTP 401");
    }
    if (status >= 300 && requestId != null) {
      return refused(resp, requestId, status);
    }
    if (status >= 300) {
      resp.end();
      return Future.failedFuture("HTTP " + status);
    }
    String type = resp.getHeader("Content-Type");
    if (type != null && type.toLowerCase().startsWith(McpMeta.SSE)) {
      boolean[] answered = {false};
      SseParser parser = new SseParser(options.maxEventSize(), event -> {
        JsonObject msg = raw
            ? Messages.rawOrDecoded(event.data(), options.name())
            : Messages.decode(event.data(), options.name());
        if (msg != null) {
          if (requestId != null && JsonRpc.sameId(requestId, msg.getValue("id"))
              && msg.getString("method") == null) {
            answered[0] = true;
          }
          listener.onMessage(msg, requestId);
        }
      }, () -> oversized(resp, requestId, "upstream event exceeded " + Sizes.format(options.maxEventSize())));
      resp.handler(parser);
      resp.endHandler(v -> streamEnded(requestId, answered[0]));
      resp.exceptionHandler(err -> streamEnded(requestId, answered[0]));
      return Future.succeededFuture();
    }
    return readBody(resp, requestId).map(body -> {
      if (body == null) {
        return null;
      }
      if (requestId != null) {
        inFlight.remove(requestId);
      }
      JsonObject relayed = raw ? Envelope.withRawResult(body) : null;
      if (relayed != null) {
        listener.onMessage(relayed, requestId);
      } else {
        deliverBody(body, requestId);
      }
      return null;
    });
  }

  /**
   * An HTTP error status for a request. A JSON-RPC error for it in the body is the upstream's
   * answer and is relayed (2026-07-28 answers an unknown method with 404 and such a body);
   * otherwise the status decides: a 4xx refused this request alone and is no health failure, a
   * 5xx is the upstream's fault (see {@link Outcome#ofStatus}).
   */
  private Future<Void> refused(HttpClientResponse resp, Object requestId, int status) {
    String type = resp.getHeader("Content-Type");
    boolean json = type != null && type.toLowerCase().startsWith(McpMeta.JSON);
    Future<Buffer> body = json && status < 500 ? readBody(resp, requestId) : resp.end().map((Buffer) null);
    return body.otherwiseEmpty().map(b -> {
      if (inFlight.remove(requestId) == null || closed) {
        return null; // abandoned meanwhile
      }
      JsonObject answer = b == null ? null : Messages.decodeQuietly(b);
      if (answer != null && JsonRpc.sameId(requestId, answer.getValue("id"))
          && answer.getValue("error") instanceof JsonObject) {
        listener.onMessage(answer, requestId);
      } else {
        deliverError(requestId, Outcome.ofStatus(status), "HTTP " + status);
      }
      return null;
    });
  }

  /** The response body, or null when it was over {@code maxResponseSize} (the call has failed then). */
  private Future<Buffer> readBody(HttpClientResponse resp, Object requestId) {
    return BoundedBody.read(resp, options.maxResponseSize()).recover(err -> {
      if (err instanceof BoundedBody.TooLarge) {
        oversized(resp, requestId, err.getMessage());
        return Future.succeededFuture();
      }
      return Future.failedFuture(err);
    });
  }

  /**
   * An answer over its size limit (one SSE event, or a JSON body): the call fails with -32603 and
   * {@code data.upstream}, and the response is reset so that the rest is never read. It counts
   * against the upstream's health ({@link Outcome#UNAVAILABLE}): the upstream broke the exchange,
   * as with a body that is not JSON. One log line per response, never any of the body.
   */
  private void oversized(HttpClientResponse resp, Object requestId, String detail) {
    LOG.warn("upstream {}: {}, response closed", options.name(), detail);
    if (requestId != null && inFlight.remove(requestId) != null && !closed) {
      deliverError(requestId, Outcome.UNAVAILABLE, detail);
    }
    resp.request().reset();
  }

  private void streamEnded(Object requestId, boolean answered) {
    if (requestId != null && inFlight.remove(requestId) != null && !answered && !closed) {
      deliverError(requestId, Outcome.UNAVAILABLE, "upstream ended the stream without a response");
    }
  }

  private void deliverBody(Buffer body, Object requestId) {
    if (body.length() == 0) {
      if (requestId != null) {
        deliverError(requestId, Outcome.UNAVAILABLE, "empty response");
      }
      return;
    }
    Object parsed;
    try {
      parsed = JsonBytes.decode(body);
    } catch (DecodeException e) {
      if (requestId != null) {
        deliverError(requestId, Outcome.UNAVAILABLE, "response is not JSON");
      }
      return;
    }
    if (parsed instanceof JsonObject o) {
      listener.onMessage(o, requestId);
    } else if (parsed instanceof JsonArray batch) {
      // 2025-03-26 allowed batched answers
      for (Object o : batch) {
        if (o instanceof JsonObject m) {
          listener.onMessage(m, requestId);
        }
      }
    }
  }

  private void deliverError(Object id, Outcome outcome, String detail) {
    listener.onFailure(id, outcome, detail);
  }

  private void expire() {
    if (!closed) {
      closed = true;
      requests.sessionId(null);
      closeGetStream();
      listener.onClosed(Outcome.EXPIRED, "upstream session expired");
    }
  }

  @Override
  public void initialized(String protocolVersion) {
    requests.protocolVersion(protocolVersion);
    if (!requests.stateless()) {
      openGetStream();
    }
  }

  @Override
  public Future<Void> listen() {
    if (getStream != null || closed) {
      return Future.succeededFuture();
    }
    getStream = new GetStream(streams, options);
    return requests.stateless() ? Future.succeededFuture() : openGetStream();
  }

  /** basic/transports, "Listening for Messages from the Server": optional; 405 means none. */
  private Future<Void> openGetStream() {
    if (requests.sessionId() == null || closed || getStream == null) {
      return Future.succeededFuture();
    }
    return getStream.open(requests.of(HttpMethod.GET), msg -> {
      if (!closed) {
        listener.onMessage(msg, null);
      }
    });
  }

  private void closeGetStream() {
    if (getStream != null) {
      getStream.close();
    }
  }

  @Override
  public void abandon(Object id) {
    HttpClientRequest req = inFlight.remove(id);
    if (req != null) {
      req.reset();
    }
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    closeGetStream();
    // a reset runs the request's handlers at once, and they edit inFlight: detach first
    List<HttpClientRequest> open = new ArrayList<>(inFlight.values());
    inFlight.clear();
    open.forEach(HttpClientRequest::reset);
    if (requests.sessionId() == null) {
      return Future.succeededFuture();
    }
    // basic/transports, "Session Management": DELETE ends the upstream session.
    return delete(true)
        .onComplete(ar -> METRICS.upstreamDelete(options.name(), ar.succeeded()))
        .otherwiseEmpty()
        .mapEmpty();
  }

  /**
   * Sends the DELETE. A kept-alive connection that the server closed just as it was reused fails
   * before an answer; DELETE is idempotent (RFC 9110 9.2.2), so it is sent once more, as POSTs
   * are (see {@link #post}): otherwise the upstream session would live on until the server's own
   * timeout.
   */
  private Future<Void> delete(boolean retry) {
    return deletes.request(requests.of(HttpMethod.DELETE).setTimeout(DELETE_TIMEOUT_MS))
        .compose(HttpClientRequest::send)
        .compose(HttpClientResponse::end)
        .recover(err -> retry && err instanceof HttpClosedException ? delete(false) : Future.failedFuture(err));
  }
}
