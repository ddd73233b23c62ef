package dev.junction.ingress;

import static dev.junction.ingress.Responses.error;

import dev.junction.bus.Addresses;
import dev.junction.bus.RelayReply;
import dev.junction.bus.RelayRequest;
import dev.junction.bus.SessionCommand;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.jsonrpc.JsonBytes;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMeta;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.routing.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC batches, which only 2025-03-26 has (basic/transports, "Sending Messages to the Server":
 * the body may be a batch of requests, notifications or responses; 2025-06-18 removed them). Each
 * element is relayed to the session's shard like a message of its own, and the answers go back
 * batched: one JSON array once all are in, or, as soon as one request streams something first
 * (progress, a server request), an SSE stream that carries every event and every answer. A batch
 * of notifications and responses only gets 202. Runs on its ingress verticle's context.
 */
final class Batches {
  private static final Logger LOG = LoggerFactory.getLogger(Batches.class);

  private final Vertx vertx;
  private final DeliveryOptions relayDelivery;
  // Owned by the ingress context.
  private final Streams streams;
  private final Forwards forwards;

  Batches(Vertx vertx, DeliveryOptions relayDelivery, Streams streams, Forwards forwards) {
    this.vertx = vertx;
    this.relayDelivery = relayDelivery;
    this.streams = streams;
    this.forwards = forwards;
  }

  /**
   * Whether this POST may carry a batch: a session-based request of 2025-03-26 (the version header,
   * or none, which means 2025-03-26) in an existing session; initialize is never batched.
   */
  static boolean allowed(HttpServerRequest req) {
    String version = req.getHeader(McpMeta.HEADER_PROTOCOL_VERSION);
    return req.getHeader(McpMeta.HEADER_SESSION_ID) != null
        && (version == null || ProtocolVersion.V2025_03_26.equals(version));
  }

  /** Relays a batch's elements and answers with theirs. */
  void post(HttpServerRequest req, Endpoint endpoint, JsonArray batch, Identity identity) {
    HttpServerResponse resp = req.response();
    if (batch.isEmpty()) {
      error(resp, JunctionError.INVALID_REQUEST, "an empty batch", false);
      return;
    }
    String sessionId = req.getHeader(McpMeta.HEADER_SESSION_ID);
    String shard = forwards.poolOf(sessionId);
    if (shard == null) {
      error(resp, JunctionError.UNKNOWN_SESSION, null, false);
      return;
    }
    new Answer(resp, shard, sessionId, identity.tenantKey()).relay(endpoint, batch, identity);
  }

  /** The answers of one batch, in the order they complete. */
  private final class Answer {
    /** One request of the batch whose response is still due: its events are written before it. */
    private static final class Call {
      int received;
      RelayReply waiting;
    }

    private final HttpServerResponse response;
    private final String shard;
    private final String sessionId;
    private final String tenantKey;
    private final List<JsonObject> answers = new ArrayList<>();
    private final Map<String, Call> calls = new HashMap<>();
    /** Elements still without their shard reply. */
    private int pending;
    private boolean requests;
    private boolean sse;
    private boolean done;

    Answer(HttpServerResponse response, String shard, String sessionId, String tenantKey) {
      this.response = response;
      this.shard = shard;
      this.sessionId = sessionId;
      this.tenantKey = tenantKey;
      response.closeHandler(v -> {
        if (!done) {
          done = true;
          for (String address : calls.keySet()) {
            streams.close(address);
            vertx.eventBus().send(Addresses.sessionsOf(shard),
                new SessionCommand(SessionCommand.Kind.CANCEL_EXCHANGE, sessionId, tenantKey, address));
          }
        }
      });
    }

    void relay(Endpoint endpoint, JsonArray batch, Identity identity) {
      List<JsonObject> valid = new ArrayList<>();
      for (Object element : batch) {
        JsonObject message = element instanceof JsonObject o ? o : null;
        String problem = message == null ? "a batch element must be an object" : JsonRpc.envelopeProblem(message);
        if (problem == null && "initialize".equals(message.getString("method"))) {
          problem = "initialize must not be part of a batch";
        }
        if (problem != null) {
          answers.add(JunctionError.INVALID_REQUEST.response(JsonRpc.answerableId(message), problem, null));
          requests = true;
        } else {
          valid.add(message);
        }
      }
      pending = valid.size();
      for (JsonObject message : valid) {
        relayOne(endpoint, message, identity);
      }
      maybeEnd();
    }

    private void relayOne(Endpoint endpoint, JsonObject message, Identity identity) {
      String address = null;
      if (JsonRpc.isRequest(message)) {
        requests = true;
        address = streams.open(event -> onEvent(event.exchange(), event.message()));
        calls.put(address, new Call());
      }
      String exchange = address;
      RelayRequest relay = new RelayRequest(endpoint, sessionId, tenantKey, ProtocolVersion.V2025_03_26, false,
          message, exchange, identity.token(), identity.apiKey());
      forwards.<RelayReply>request(shard, relay, relayDelivery, "relay").onComplete(ar -> {
        pending--;
        RelayReply reply;
        if (ar.failed()) {
          String ref = UUID.randomUUID().toString();
          LOG.error("relay to {} failed (ref {}): {}", shard, ref, JunctionException.describe(ar.cause()));
          reply = new RelayReply(500, JunctionError.INTERNAL.response(message.getValue("id"), null,
              new JsonObject().put("ref", ref)), null, 0);
        } else {
          reply = ar.result().body();
        }
        if (exchange != null) {
          Call call = calls.get(exchange);
          if (call != null) {
            call.waiting = reply;
            if (call.received >= reply.streamed()) {
              finish(exchange, call);
            }
          }
        }
        maybeEnd();
      });
    }

    private void onEvent(String address, JsonObject message) {
      Call call = calls.get(address);
      if (call == null || done) {
        return;
      }
      call.received++;
      toSse();
      Sse.write(response, message);
      if (call.waiting != null && call.received >= call.waiting.streamed()) {
        finish(address, call);
        maybeEnd();
      }
    }

    private void toSse() {
      if (!sse) {
        sse = true;
        response.setChunked(true).setStatusCode(200);
        Sse.headers(response);
        // what completed before the stream began goes first
        answers.forEach(a -> Sse.write(response, a));
        answers.clear();
      }
    }

    private void finish(String address, Call call) {
      calls.remove(address);
      streams.close(address);
      JsonObject body = call.waiting.body();
      if (body == null) {
        return;
      }
      if (sse) {
        Sse.write(response, body);
      } else {
        answers.add(body);
      }
    }

    private void maybeEnd() {
      if (done || pending > 0 || !calls.isEmpty()) {
        return;
      }
      done = true;
      if (sse) {
        response.end();
      } else if (!requests) {
        response.setStatusCode(202).end();
      } else {
        response.setStatusCode(200).putHeader("Content-Type", McpMeta.JSON)
            .end(JsonBytes.encode(new ArrayList<>(answers)));
      }
    }
  }
}
