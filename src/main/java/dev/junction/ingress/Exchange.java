package dev.junction.ingress;

import dev.junction.mcp.McpMeta;
import dev.junction.pool.SessionCommand;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * One POST being answered. The answer is plain JSON unless something must be streamed first
 * (progress, logging, a server request): then the response turns into an SSE stream and the final
 * response is its last event. Owned by the ingress context that accepted the request.
 */
final class Exchange {
  private final Vertx vertx;
  private final HttpServerResponse response;
  private final String address;
  private final MessageConsumer<StreamEvent> consumer;
  private final SessionCommand cancel;
  private final UnaryOperator<JsonObject> finish;
  private int received;
  private RelayReply waiting;
  private boolean sse;
  private boolean done;
  private long keepAlive = -1;

  /**
   * @param finish applied to the final response body (stateless result decoration)
   * @param keepAliveMs a call still unanswered after this long turns into an SSE stream that gets
   *     a keep-alive comment every {@code keepAliveMs}, so that proxies and clients keep a long
   *     call open; 0 for none (initialize, whose answer carries the session header)
   */
  Exchange(Vertx vertx, HttpServerResponse response, String address, String shardAddress, String sessionId,
      String tenantKey, UnaryOperator<JsonObject> finish, long keepAliveMs) {
    this.vertx = vertx;
    this.address = address;
    this.response = response;
    this.finish = finish;
    this.cancel = new SessionCommand(SessionCommand.Kind.CANCEL_EXCHANGE, sessionId, tenantKey, address);
    this.consumer = vertx.eventBus().localConsumer(address, m -> onEvent(m.body()));
    if (keepAliveMs > 0) {
      keepAlive = vertx.setPeriodic(keepAliveMs, t -> keepAlive());
    }
    response.closeHandler(v -> {
      if (!done) {
        done = true;
        vertx.cancelTimer(keepAlive);
        consumer.unregister();
        // basic/utilities/cancellation; on 2026-07-28 a closed stream is the cancellation.
        vertx.eventBus().send(shardAddress + ".session", cancel);
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

  private void keepAlive() {
    if (!done) {
      toSse();
      Sse.keepAlive(response);
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
    vertx.cancelTimer(keepAlive);
    consumer.unregister();
    JsonObject body = reply.body() == null ? null : finish.apply(reply.body());
    if (sse) {
      if (body != null) {
        Sse.write(response, body);
      }
      response.end();
      return;
    }
    response.setStatusCode(reply.status());
    if (reply.sessionId() != null) {
      response.putHeader(McpMeta.HEADER_SESSION_ID, reply.sessionId());
    }
    if (body == null) {
      response.end();
    } else {
      response.putHeader("Content-Type", McpMeta.JSON).end(body.toBuffer());
    }
  }
}
