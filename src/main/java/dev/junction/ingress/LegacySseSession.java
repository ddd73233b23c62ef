package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.RelayReply;
import dev.junction.bus.RelayRequest;
import dev.junction.bus.SessionCommand;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.routing.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One legacy HTTP+SSE connection (2024-11-05 basic/transports, "HTTP with SSE"): the open GET
 * stream is the session. The client's POSTs reach it as {@link RelayRequest}s (from whichever
 * ingress instance took them, see {@link LegacySseHandler}); each is relayed to the shard like a
 * session-based POST, and every answer, progress notification and server request comes back as a
 * {@code message} event on this one stream. Owned by the ingress context that accepted the GET.
 */
final class LegacySseSession {
  private static final Logger LOG = LoggerFactory.getLogger(LegacySseSession.class);

  /** One relayed request whose answer is still due: its events are written before it. */
  private static final class Call {
    final String address;
    int received;
    RelayReply waiting;

    Call(String address) {
      this.address = address;
    }
  }

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final Endpoint endpoint;
  private final String tenantKey;
  private final int shards;
  private final DeliveryOptions relayDelivery;
  // Owned by the ingress context.
  private final Streams streams;
  private final Forwards forwards;
  private final Map<String, Call> calls = new HashMap<>();
  /** The downstream session, once initialize has succeeded. */
  private String sessionId;
  private String version;
  /** Where the session's server-initiated messages arrive, once initialized. */
  private String sessionStream;
  private boolean closed;

  LegacySseSession(Vertx vertx, HttpServerResponse response, Endpoint endpoint, String tenantKey, int shards,
      DeliveryOptions relayDelivery, Streams streams, Forwards forwards) {
    this.vertx = vertx;
    this.response = response;
    this.endpoint = endpoint;
    this.tenantKey = tenantKey;
    this.shards = shards;
    this.relayDelivery = relayDelivery;
    this.streams = streams;
    this.forwards = forwards;
  }

  /**
   * A message the client POSTed. The POST is answered at once (202, or the reason it is refused);
   * the message's own answer comes on the stream.
   */
  void handle(Message<RelayRequest> msg) {
    RelayRequest post = msg.body();
    JsonObject message = post.message();
    if (closed || !post.tenantKey().equals(tenantKey) || !post.endpoint().equals(endpoint)) {
      // another tenant's connection is as unknown as a missing one
      msg.reply(refusal(JunctionError.UNKNOWN_SESSION, message, null));
      return;
    }
    boolean initialize = "initialize".equals(message.getString("method"));
    if (initialize == (sessionId != null)) {
      msg.reply(refusal(JunctionError.INVALID_REQUEST, message,
          initialize ? "the session is already initialized" : "initialize first"));
      return;
    }
    msg.reply(RelayReply.accepted());
    String requested = JsonRpc.params(message).getString("protocolVersion");
    String revision = !initialize ? version
        // this transport is the one of 2024-11-05, which stays available here
        : ProtocolVersion.V2024_11_05.equals(requested) ? requested : ProtocolVersion.negotiate(requested);
    relay(message, revision, post.subjectToken(), post.apiKey());
  }

  private static RelayReply refusal(JunctionError error, JsonObject message, String detail) {
    return new RelayReply(error.status(false), error.response(JsonRpc.answerableId(message), detail, null), null, 0);
  }

  private void relay(JsonObject message, String revision, String subjectToken, String apiKey) {
    String shard = sessionId == null ? Addresses.pool(TenantKeys.shard(tenantKey, shards)) : forwards.poolOf(sessionId);
    if (shard == null) {
      end();
      return;
    }
    String address = JsonRpc.isRequest(message) ? streams.open(event -> onEvent(event.exchange(), event.message()))
        : null;
    if (address != null) {
      calls.put(address, new Call(address));
    }
    RelayRequest relay = new RelayRequest(endpoint, sessionId, tenantKey, revision, false, message, address,
        subjectToken, apiKey);
    forwards.<RelayReply>request(shard, relay, relayDelivery, "relay").onComplete(ar -> {
      if (ar.failed()) {
        String ref = UUID.randomUUID().toString();
        LOG.error("relay to {} failed (ref {}): {}", shard, ref, JunctionException.describe(ar.cause()));
        if (address != null) {
          reply(address, new RelayReply(500, JunctionError.INTERNAL.response(message.getValue("id"), null,
              new JsonObject().put("ref", ref)), null, 0));
        }
        return;
      }
      RelayReply reply = ar.result().body();
      if (reply.sessionId() != null && "initialize".equals(message.getString("method"))) {
        initialized(reply, revision);
      }
      if (address != null) {
        reply(address, reply);
      }
    });
  }

  /** initialize succeeded: the session is named, and its server-initiated messages come here too. */
  private void initialized(RelayReply reply, String revision) {
    sessionId = reply.sessionId();
    JsonObject result = reply.body() == null ? null : reply.body().getJsonObject("result");
    version = result == null ? revision : result.getString("protocolVersion", revision);
    if (closed) {
      end();
      return;
    }
    sessionStream = streams.open(event -> Sse.write(response, event.message()));
    vertx.eventBus().send(Addresses.sessionsOf(forwards.poolOf(sessionId)),
        new SessionCommand(SessionCommand.Kind.OPEN_STREAM, sessionId, tenantKey, sessionStream));
  }

  private void onEvent(String address, JsonObject message) {
    Call call = calls.get(address);
    if (call == null || closed) {
      return;
    }
    call.received++;
    Sse.write(response, message);
    if (call.waiting != null && call.received >= call.waiting.streamed()) {
      finish(call);
    }
  }

  private void reply(String address, RelayReply reply) {
    Call call = calls.get(address);
    if (call == null) {
      return;
    }
    call.waiting = reply;
    if (call.received >= reply.streamed()) {
      finish(call);
    }
  }

  private void finish(Call call) {
    calls.remove(call.address);
    streams.close(call.address);
    if (call.waiting.body() != null && !closed) {
      Sse.write(response, call.waiting.body());
    }
  }

  /** The stream closed: the session ends, and with it its calls and upstream sessions. */
  void closed() {
    if (closed) {
      return;
    }
    closed = true;
    String pool = sessionId == null ? null : forwards.poolOf(sessionId);
    for (Call call : calls.values()) {
      streams.close(call.address);
      if (pool != null) {
        vertx.eventBus().send(Addresses.sessionsOf(pool),
            new SessionCommand(SessionCommand.Kind.CANCEL_EXCHANGE, sessionId, tenantKey, call.address));
      }
    }
    calls.clear();
    if (sessionStream != null) {
      streams.close(sessionStream);
    }
    end();
  }

  /** Ends the downstream session, if there is one (basic/transports: the SSE connection is the session). */
  private void end() {
    String pool = sessionId == null ? null : forwards.poolOf(sessionId);
    if (pool != null) {
      vertx.eventBus().send(Addresses.sessionsOf(pool),
          new SessionCommand(SessionCommand.Kind.END_SESSION, sessionId, tenantKey, null));
    }
    if (!response.ended() && !response.closed()) {
      response.end();
    }
  }
}
