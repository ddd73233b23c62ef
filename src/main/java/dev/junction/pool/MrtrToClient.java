package dev.junction.pool;

import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.Envelope;
import dev.junction.jsonrpc.JsonRpc;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A session-based client's call to a 2026-07-28 upstream that answers input-required
 * (basic/patterns/mrtr): each input request goes to the client as a server-to-client request on
 * the call's stream (when the client declared the capability it needs; else the call fails naming
 * it), and once every answer is in, the call goes upstream again with {@code inputResponses} and
 * the upstream's {@code requestState}, until a final result comes. A 2026-07-28 client gets the
 * upstream's input-required result untouched. Runs on the shard context; the state of a pending
 * round is in its {@link DownstreamSession}'s server requests.
 */
final class MrtrToClient {
  /** More rounds than this for one call end it: an upstream that never stops asking is a fault. */
  static final int MAX_ROUNDS = 16;

  private final Vertx vertx;
  private final BiConsumer<Call, JsonObject> toCall;
  private final long holdTimeoutMs;

  MrtrToClient(Vertx vertx, BiConsumer<Call, JsonObject> toCall, long holdTimeoutMs) {
    this.vertx = vertx;
    this.toCall = toCall;
    this.holdTimeoutMs = holdTimeoutMs;
  }

  /** The upstream's reply, or the final reply once the client has answered every round. */
  Future<Reply> complete(UpstreamSession session, String method, JsonObject params, Call call, long timeoutMs,
      Reply reply) {
    return complete(session, method, params, call, timeoutMs, reply, 1);
  }

  private Future<Reply> complete(UpstreamSession session, String method, JsonObject params, Call call,
      long timeoutMs, Reply reply, int round) {
    DownstreamSession ds = call == null ? null : call.scope.session();
    if (ds == null || !session.statelessWire() || !MrtrRounds.bridges(method)
        || !reply.message().containsKey("result")) {
      return Future.succeededFuture(reply);
    }
    JsonObject result = Envelope.result(reply.message());
    if (result == null || !"input_required".equals(result.getString("resultType"))) {
      return Future.succeededFuture(reply);
    }
    Object id = reply.message().getValue("id");
    if (round > MAX_ROUNDS) {
      return failed(reply, JunctionError.UPSTREAM_UNAVAILABLE.upstreamResponse(id, session.upstream(),
          "the upstream asked for input more than " + MAX_ROUNDS + " times"));
    }
    JsonObject inputRequests = result.getJsonObject("inputRequests", new JsonObject());
    for (String key : inputRequests.fieldNames()) {
      JsonObject asked = inputRequests.getJsonObject(key);
      String missing = MrtrRounds.missingCapability(asked == null ? null : asked.getString("method"),
          ds.clientCapabilities);
      if (missing != null) {
        return failed(reply, JunctionError.missingCapability(id, missing, session.upstream(), "the upstream "
            + session.upstream() + " needs the client's " + missing + " capability, which it did not declare"));
      }
    }
    if (!inputRequests.isEmpty() && call.exchange == null) {
      return failed(reply, JunctionError.INTERNAL.response(id, "no open stream to the client", null));
    }
    List<String> keys = new ArrayList<>(inputRequests.fieldNames());
    List<Future<JsonObject>> answers = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    for (String key : keys) {
      JsonObject asked = inputRequests.getJsonObject(key);
      String serverId = ds.nextServerRequestId();
      Promise<JsonObject> answer = Promise.promise();
      ds.serverRequests.put(serverId, new DownstreamSession.ServerRequest(null, null, answer));
      sent.add(serverId);
      answers.add(answer.future());
      toCall.accept(call, JsonRpc.request(serverId, asked.getString("method"), asked.getJsonObject("params")));
    }
    long timer = answers.isEmpty() ? -1 : vertx.setTimer(holdTimeoutMs, t -> {
      for (String serverId : sent) {
        DownstreamSession.ServerRequest pending = ds.serverRequests.remove(serverId);
        if (pending != null) {
          pending.answer().tryFail("the client did not answer within mrtr.holdTimeout");
        }
      }
    });
    return Future.join(answers).transform(ar -> {
      vertx.cancelTimer(timer);
      JsonObject responses = new JsonObject();
      for (int i = 0; i < keys.size(); i++) {
        Future<JsonObject> answer = answers.get(i);
        if (answer.failed()) {
          return Future.succeededFuture(new Reply(JunctionError.CANCELLED.response(id,
              answer.cause().getMessage(), null), reply.outcome()));
        }
        JsonObject response = answer.result();
        if (response.containsKey("error")) {
          // the client refused (for example an unknown method): that ends the call with its error
          return Future.succeededFuture(new Reply(new JsonObject().put("jsonrpc", "2.0").put("id", id)
              .put("error", response.getValue("error")), reply.outcome()));
        }
        responses.put(keys.get(i), Envelope.result(response));
      }
      JsonObject retry = JsonRpc.shallowCopy(params).put("inputResponses", responses);
      retry.remove("requestState");
      if (result.getValue("requestState") != null) {
        retry.put("requestState", result.getValue("requestState"));
      }
      return session.call(method, retry, call, timeoutMs)
          .compose(next -> complete(session, method, params, call, timeoutMs, next, round + 1));
    });
  }

  private static Future<Reply> failed(Reply reply, JsonObject error) {
    return Future.succeededFuture(new Reply(error, reply.outcome()));
  }
}
