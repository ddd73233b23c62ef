package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.RelayReply;
import dev.junction.bus.SessionCommand;
import dev.junction.bus.StreamEvent;
import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonBytes;
import dev.junction.mcp.McpMeta;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * One POST being answered. The answer is plain JSON unless something must be streamed first
 * (progress, logging, a server request): then the response turns into an SSE stream and the final
 * response is its last event. Owned by the ingress context that accepted the request; its
 * events reach it through the ingress instance's {@link Streams}.
 */
final class Exchange {
  private final Vertx vertx;
  private final HttpServerResponse response;
  private final String address;
  private final Streams streams;
  private final SessionCommand cancel;
  private final UnaryOperator<JsonObject> finish;
  private int received;
  private RelayReply waiting;
  private boolean sse;
  private boolean done;
  private final KeepAlives keepAlives;
  /** When something was last written (or the exchange began). */
  private long lastWrite = System.currentTimeMillis();

  /**
   * @param finish applied to the final response body (stateless result decoration)
   * @param keepAlives where a call still unanswered after the keep-alive period turns into an SSE
   *     stream with a comment every period, so that proxies and clients keep a long call open;
   *     null for none (initialize, whose answer carries the session header)
   */
  Exchange(Vertx vertx, Streams streams, HttpServerResponse response, String shardAddress, String sessionId,
      String tenantKey, UnaryOperator<JsonObject> finish, KeepAlives keepAlives) {
    this.vertx = vertx;
    this.response = response;
    this.finish = finish;
    this.streams = streams;
    this.address = streams.open(this::onEvent);
    this.cancel = new SessionCommand(SessionCommand.Kind.CANCEL_EXCHANGE, sessionId, tenantKey, address);
    this.keepAlives = keepAlives;
    if (keepAlives != null) {
      keepAlives.add(this);
    }
    response.closeHandler(v -> {
      if (!done) {
        done = true;
        stopKeepAlive();
        streams.close(address);
        // basic/utilities/cancellation; on 2026-07-28 a closed stream is the cancellation.
        vertx.eventBus().send(Addresses.sessionsOf(shardAddress), cancel);
      }
    });
  }

  String address() {
    return address;
  }

  private void onEvent(StreamEvent event) {
    if (done) {
      return;
    }
    received++;
    toSse();
    lastWrite = System.currentTimeMillis();
    Sse.write(response, event.message());
    if (waiting != null && received >= waiting.streamed()) {
      finish(waiting);
    }
  }

  private void toSse() {
    if (!sse) {
      sse = true;
      response.setChunked(true).setStatusCode(200);
      Sse.headers(response);
    }
  }

  /** Called by {@link KeepAlives}: a comment when nothing was written for a period. */
  void tick(long now, long periodMs) {
    if (!done && now - lastWrite >= periodMs) {
      lastWrite = now;
      toSse();
      Sse.keepAlive(response);
    }
  }

  private void stopKeepAlive() {
    if (keepAlives != null) {
      keepAlives.remove(this);
    }
  }

  /** The shard's reply; written once every event sent before it has been written. */
  void reply(RelayReply reply) {
    if (done) {
      return;
    }
    if (received >= reply.streamed()) {
      finish(reply);
    } else {
      waiting = reply;
    }
  }

  /** A failure before the shard answered. */
  void fail(int status, JsonObject body) {
    reply(new RelayReply(status, body, null, 0));
  }

  private void finish(RelayReply reply) {
    done = true;
    stopKeepAlive();
    streams.close(address);
    JsonObject body = reply.body() == null ? null : finish.apply(reply.body());
    if (sse) {
      if (body != null) {
        Sse.write(response, body);
      }
      response.end();
      return;
    }
    response.setStatusCode(reply.status());
    String retryAfter = reply.status() == 429 ? JunctionError.retryAfterHeader(body) : null;
    if (retryAfter != null) {
      response.putHeader("Retry-After", retryAfter);
    }
    if (reply.sessionId() != null) {
      response.putHeader(McpMeta.HEADER_SESSION_ID, reply.sessionId());
    }
    if (body == null) {
      response.end();
    } else {
      response.putHeader("Content-Type", McpMeta.JSON).end(JsonBytes.encode(body));
    }
  }
}
