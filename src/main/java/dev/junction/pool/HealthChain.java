package dev.junction.pool;

import dev.junction.config.SessionPoolOptions;
import dev.junction.error.JunctionError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Checks a pooled session that has been idle before it is leased: each method of the chain in
 * turn (by default ping, then tools/list); a -32601 (not supported) or a timeout moves on to the
 * next; a result means healthy; any other error means unhealthy. The end of the chain passes
 * (an upstream that supports none of the methods cannot be checked, only used).
 */
final class HealthChain {
  /** A check never waits longer than this, whatever the create timeout. */
  static final long MAX_CHECK_MS = 5_000;

  private HealthChain() {
  }

  static Future<Boolean> check(UpstreamSession session, SessionPoolOptions limits) {
    return step(session, limits.healthCheck(), 0, Math.min(MAX_CHECK_MS, limits.createTimeoutMs()));
  }

  private static Future<Boolean> step(UpstreamSession session, List<String> chain, int i, long timeoutMs) {
    if (i >= chain.size() || "skip".equals(chain.get(i))) {
      return Future.succeededFuture(true);
    }
    String method = chain.get(i);
    JsonObject params = "tools/list".equals(method) ? new JsonObject() : null;
    return session.call(method, params, null, timeoutMs).compose(response -> {
      if (response.containsKey("result")) {
        return Future.succeededFuture(true);
      }
      Integer code = response.getJsonObject("error", new JsonObject()).getInteger("code");
      boolean timedOut = code != null && code == JunctionError.UPSTREAM_TIMEOUT.code();
      boolean unsupported = code != null && code == JunctionError.METHOD_NOT_FOUND.code();
      return timedOut || unsupported ? step(session, chain, i + 1, timeoutMs) : Future.succeededFuture(false);
    });
  }
}
