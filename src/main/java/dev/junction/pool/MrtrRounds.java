package dev.junction.pool;

import dev.junction.bus.LocalNode;
import dev.junction.bus.MrtrState;
import dev.junction.bus.SessionIds;
import dev.junction.config.MrtrOptions;
import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.McpMeta;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 2026-07-28 client's call to a 2025 upstream that asks the client something mid-call
 * (elicitation, sampling, roots: basic/patterns/mrtr). The upstream call stays open on its session;
 * the client gets an input-required result whose {@code inputRequests} are keyed by ids chosen
 * here and whose {@code requestState} ({@link MrtrState}) names the round. Its retry answers the
 * upstream's requests and waits on for the call's result, which may ask again: another round. A
 * round that no retry picks up within {@code mrtr.holdTimeout} is cancelled upstream; while it waits,
 * the upstream call's own requestTimeout does not run (it starts again when the retry resumes the
 * call), and what the call streams after a retry (progress, logging) goes to that retry. Owned by
 * the shard context.
 */
final class MrtrRounds {
  private static final Logger LOG = LoggerFactory.getLogger(MrtrRounds.class);

  /** One upstream request waiting for the client's answer. */
  private record Asked(UpstreamSession session, Object upstreamId, JsonObject request) {
  }

  /** One bridged call, from its first request to its final result. */
  private static final class Round {
    final String id;
    final String tenant;
    final Call call;
    /** Asked upstream requests by the key the client sees; those not yet sent to it are in {@link #unsent}. */
    final Map<String, Asked> asked = new LinkedHashMap<>();
    final Map<String, Asked> unsent = new LinkedHashMap<>();
    /** Sessions whose requests of the call have their timeouts paused while the client answers. */
    final Set<UpstreamSession> paused = new LinkedHashSet<>();
    /** The client's current request, or null between requests. */
    Promise<JsonObject> waiter;
    Object downstreamId;
    JsonObject capabilities;
    /** The final response, when it came while no request waited. */
    JsonObject result;
    long holdTimer = -1;
    int nextKey = 1;
    boolean flushScheduled;

    Round(String id, String tenant, Call call) {
      this.id = id;
      this.tenant = tenant;
      this.call = call;
    }
  }

  private final Vertx vertx;
  private final int shard;
  private final long holdTimeoutMs;
  private final MrtrState states;

  // Owned by the shard context.
  private final Map<String, Round> rounds = new HashMap<>();
  private final Map<Call, Round> byCall = new HashMap<>();

  MrtrRounds(Vertx vertx, int shard, MrtrOptions options) {
    this.vertx = vertx;
    this.shard = shard;
    this.holdTimeoutMs = options.holdTimeoutMs();
    this.states = new MrtrState(options.stateKey());
  }

  /** Whether a request of a 2026-07-28 client may get an input-required result (basic/patterns/mrtr). */
  static boolean bridges(String method) {
    return "tools/call".equals(method) || "prompts/get".equals(method) || "resources/read".equals(method);
  }

  /** Whether a request is the retry of one of the gateway's rounds (its state says so). */
  static boolean isRetry(JsonObject params) {
    return MrtrState.ours(params.getValue("requestState"));
  }

  /**
   * The response to a stateless client's request that may become rounds: the call's own answer,
   * or an input-required result as soon as an upstream asks the client something.
   */
  Future<JsonObject> first(Scope scope, JsonObject request, Call call, Future<JsonObject> answer) {
    if (answer.isComplete()) {
      return answer;
    }
    Round round = new Round(SessionIds.create(LocalNode.id(vertx), shard), scope.tenantKey, call);
    round.waiter = Promise.promise();
    round.downstreamId = request.getValue("id");
    round.capabilities = capabilitiesOf(request);
    rounds.put(round.id, round);
    byCall.put(call, round);
    Future<JsonObject> out = round.waiter.future();
    answer.onComplete(ar -> finish(round, ar.succeeded() ? ar.result()
        : JunctionError.INTERNAL.response(null)));
    return out;
  }

  /** The response to a retry (whose own request is {@code retry}) that names one of the gateway's rounds. */
  Future<JsonObject> retry(Scope scope, JsonObject request, Call retry) {
    JsonObject params = JsonRpc.params(request);
    String id = states.verify(params.getValue("requestState"), scope.tenantKey, System.currentTimeMillis());
    Round round = id == null ? null : rounds.get(id);
    if (round == null || !round.tenant.equals(scope.tenantKey) || round.waiter != null) {
      return Future.succeededFuture(JunctionError.INVALID_REQUEST_STATE.response(null));
    }
    vertx.cancelTimer(round.holdTimer);
    round.holdTimer = -1;
    round.downstreamId = request.getValue("id");
    round.capabilities = capabilitiesOf(request);
    round.call.resumedBy = retry;
    JsonObject responses = params.getJsonObject("inputResponses", new JsonObject());
    for (String key : responses.fieldNames()) {
      Asked asked = round.asked.remove(key);
      Object answer = responses.getValue(key);
      if (asked != null && answer instanceof JsonObject result) {
        asked.session.respond(asked.upstreamId, JsonRpc.result(asked.upstreamId, result));
      } else if (asked != null) {
        asked.session.respond(asked.upstreamId, JunctionError.INVALID_PARAMS.response(asked.upstreamId,
            "the client's answer is not an object", null));
      }
    }
    if (round.result != null) {
      end(round);
      return Future.succeededFuture(round.result);
    }
    // the call goes on: the upstream has its requestTimeout again from here
    round.paused.forEach(s -> s.resume(round.call));
    round.paused.clear();
    round.waiter = Promise.promise();
    Future<JsonObject> out = round.waiter.future();
    // what the client left unanswered is asked again (basic/patterns/mrtr, "Error Handling")
    round.unsent.putAll(round.asked);
    round.asked.clear();
    if (!round.unsent.isEmpty()) {
      flush(round);
    }
    return out;
  }

  /**
   * An upstream's request during a call: true when the call is a round's, which then asks its
   * client (or refuses the upstream at once when the client lacks the capability).
   */
  boolean ask(Call call, UpstreamSession session, JsonObject request) {
    Round round = call == null ? null : byCall.get(call);
    if (round == null) {
      return false;
    }
    Object upstreamId = request.getValue("id");
    String missing = missingCapability(request.getString("method"), round.capabilities);
    if (missing != null) {
      session.respond(upstreamId, JunctionError.missingCapability(upstreamId, missing, null,
          "the client did not declare " + missing));
      return true;
    }
    round.unsent.put("junction-" + round.nextKey++, new Asked(session, upstreamId, request));
    if (round.waiter != null && !round.flushScheduled) {
      // requests that arrive together go out in one input-required result
      round.flushScheduled = true;
      vertx.runOnContext(v -> {
        round.flushScheduled = false;
        flush(round);
      });
    }
    return true;
  }

  /** Sends the unsent requests to the waiting client as an input-required result. */
  private void flush(Round round) {
    if (round.waiter == null || round.unsent.isEmpty()) {
      return;
    }
    JsonObject inputRequests = new JsonObject();
    round.unsent.forEach((key, asked) -> {
      JsonObject entry = new JsonObject().put("method", asked.request.getString("method"));
      JsonObject params = asked.request.getJsonObject("params");
      if (params != null) {
        entry.put("params", params);
      }
      inputRequests.put(key, entry);
    });
    round.asked.putAll(round.unsent);
    round.unsent.clear();
    for (Asked asked : round.asked.values()) {
      if (round.paused.add(asked.session)) {
        asked.session.pause(round.call);
      }
    }
    long expiresAt = System.currentTimeMillis() + holdTimeoutMs;
    JsonObject result = new JsonObject().put("resultType", "input_required").put("inputRequests", inputRequests)
        .put("requestState", states.issue(round.id, round.tenant, expiresAt));
    Promise<JsonObject> waiter = round.waiter;
    round.waiter = null;
    round.holdTimer = vertx.setTimer(holdTimeoutMs, t -> abandon(round));
    waiter.complete(JsonRpc.result(round.downstreamId, result));
  }

  /** The call's final answer: to the waiting request, or kept for the next retry. */
  private void finish(Round round, JsonObject response) {
    byCall.remove(round.call);
    round.paused.clear();
    // upstream requests still unanswered died with the call
    round.asked.clear();
    round.unsent.clear();
    if (round.waiter != null) {
      Promise<JsonObject> waiter = round.waiter;
      round.waiter = null;
      end(round);
      waiter.complete(response);
    } else if (rounds.containsKey(round.id)) {
      round.result = response;
    }
  }

  private void end(Round round) {
    vertx.cancelTimer(round.holdTimer);
    rounds.remove(round.id);
    byCall.remove(round.call);
  }

  /** No retry came within the hold timeout: the upstream call is cancelled. */
  private void abandon(Round round) {
    if (round.waiter != null || !rounds.containsKey(round.id)) {
      return;
    }
    LOG.debug("input-required round abandoned by its client; cancelling the upstream call");
    end(round);
    round.paused.addAll(round.asked.values().stream().map(Asked::session).toList());
    round.paused.forEach(s -> s.cancel(round.call, "the client did not retry within mrtr.holdTimeout"));
  }

  private static JsonObject capabilitiesOf(JsonObject request) {
    JsonObject meta = JsonRpc.params(request).getJsonObject("_meta");
    JsonObject caps = meta == null ? null : meta.getJsonObject(McpMeta.META_CLIENT_CAPABILITIES);
    return caps == null ? new JsonObject() : caps;
  }

  /** The capability a client needs to answer a server request, when it did not declare it; else null. */
  static String missingCapability(String method, JsonObject capabilities) {
    String needed = switch (method == null ? "" : method) {
      case "elicitation/create" -> "elicitation";
      case "sampling/createMessage" -> "sampling";
      case "roots/list" -> "roots";
      default -> method;
    };
    return capabilities.containsKey(needed) ? null : needed;
  }
}
