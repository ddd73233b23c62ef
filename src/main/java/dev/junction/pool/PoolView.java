package dev.junction.pool;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/** The admin view of a shard's pool keys. Built on the shard context, for one reply. */
final class PoolView {
  private PoolView() {
  }

  static JsonArray of(Collection<KeyPool> keys) {
    long now = System.currentTimeMillis();
    JsonArray out = new JsonArray();
    for (KeyPool pool : keys) {
      JsonArray sessions = new JsonArray();
      for (KeyPool.Entry e : pool.entries) {
        sessions.add(new JsonObject()
            .put("ageMs", now - e.created)
            .put("idleMs", now - e.lastUsed)
            .put("inFlight", e.inFlight)
            .put("state", e.session.closed() ? "closed"
                : e.checking ? "checking" : pool.draining ? "draining" : "ready")
            .put("protocolVersion", e.session.description().protocolVersion()));
      }
      out.add(new JsonObject()
          .put("key", pool.key.hashed())
          .put("upstream", pool.upstream.name())
          .put("sharing", pool.key.client() != null ? "client" : "tenant")
          .put("draining", pool.draining)
          .put("clients", pool.attached.size())
          .put("creating", pool.creating)
          .put("waiting", pool.waiters.size())
          .put("sessions", sessions));
    }
    return out;
  }
}
