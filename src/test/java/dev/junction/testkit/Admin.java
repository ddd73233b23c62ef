package dev.junction.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** Reads a gateway's admin and metrics endpoints (the gateway must have {@code admin.token: TOKEN}). */
public final class Admin implements AutoCloseable {
  public static final String TOKEN = "admin-secret-for-tests";

  private final RawMcp upstreams;
  private final RawMcp metrics;
  private final RawMcp ready;

  public Admin(Gateway gateway) {
    this.upstreams = new RawMcp(gateway.url("/admin/upstreams"));
    this.metrics = new RawMcp(gateway.url("/metrics"));
    this.ready = new RawMcp(gateway.url("/readyz"));
  }

  /** The {@code admin:} config section that turns the admin endpoints on. */
  public static JsonObject config() {
    return new JsonObject().put("token", TOKEN);
  }

  /** {@code GET /admin/upstreams}: one upstream's view. */
  public JsonObject upstream(String name) {
    RawMcp.Reply r = upstreams.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TOKEN), null);
    if (r.status() != 200) {
      throw new AssertionError("/admin/upstreams answered " + r.status());
    }
    return new JsonObject(r.body()).getJsonObject("upstreams").getJsonObject(name);
  }

  public String state(String name) {
    return upstream(name).getString("state");
  }

  /** The Prometheus text. */
  public String metrics() {
    return metrics.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), null).body();
  }

  /** The status of {@code GET /readyz}. */
  public int readyStatus() {
    return ready.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), null).status();
  }

  @Override
  public void close() {
    upstreams.close();
    metrics.close();
    ready.close();
  }
}
