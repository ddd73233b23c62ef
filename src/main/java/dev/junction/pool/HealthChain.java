package dev.junction.pool;

import dev.junction.config.SessionPoolOptions;
import dev.junction.error.JunctionError;
import dev.junction.error.Outcome;
import dev.junction.jsonrpc.JsonRpc;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Checks a session: before an idle pooled session is leased, and when the health verticle probes
 * an upstream. Each method of the chain in turn (by default ping, then tools/list); a -32601 (not
 * supported) or a timeout moves on to the next; a result means healthy; any other error means
 * unhealthy. The end of the chain (or {@code skip}) passes, unless a step timed out: an upstream
 * that supports none of the methods cannot be checked, only used, but one that never answers is
 * not healthy.
 */
final class HealthChain {
  /** A check never waits longer than this, whatever the create timeout. */
  static final long MAX_CHECK_MS = 5_000;

  private HealthChain() {
  }

  static Future<Boolean> check(UpstreamSession session, SessionPoolOptions limits) {
    return check(session, limits.healthCheck(), Math.min(MAX_CHECK_MS, limits.createTimeoutMs()))
        .map(reply -> reply.outcome() == Outcome.OK);
  }

  /**
   * Runs the chain; the reply that decided it (a result, or the failure), or a synthetic success
   * at the end of the chain. When every step timed out, the last timeout decides.
   */
  static Future<Reply> check(UpstreamSession session, List<String> chain, long timeoutMs) {
    return step(session, chain, 0, timeoutMs, null);
  }

  private static Future<Reply> step(UpstreamSession session, List<String> chain, int i, long timeoutMs,
      Reply timedOut) {
    if (i >= chain.size() || "skip".equals(chain.get(i))) {
      return Future.succeededFuture(timedOut != null ? timedOut : Reply.of(JsonRpc.result(0, new JsonObject())));
    }
    String method = chain.get(i);
    JsonObject params = "tools/list".equals(method) ? new JsonObject() : null;
    return session.call(method, params, null, timeoutMs).compose(reply -> {
      if (reply.outcome() == Outcome.OK) {
        return Future.succeededFuture(reply);
      }
      Integer code = reply.message().getJsonObject("error", new JsonObject()).getInteger("code");
      boolean unsupported = reply.outcome() == Outcome.ERROR && code != null
          && code == JunctionError.METHOD_NOT_FOUND.code();
      if (reply.outcome() == Outcome.TIMEOUT) {
        return step(session, chain, i + 1, timeoutMs, reply);
      }
      return unsupported ? step(session, chain, i + 1, timeoutMs, timedOut) : Future.succeededFuture(reply);
    });
  }
}
