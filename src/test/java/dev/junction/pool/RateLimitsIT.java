package dev.junction.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.Names;
import dev.junction.testkit.Admin;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-tenant rate limits against a real upstream: a tenant over its rate is turned away at the
 * gateway with {@code data.retryAfterMs} (HTTP 429 and {@code Retry-After} for a 2026-07-28 client,
 * a JSON-RPC error in a 200 in a session), other tenants are served, the upstream never sees the
 * refused calls, its circuit stays closed, the refusals are counted, and the tenant is served
 * again once it has waited as long as it was told.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RateLimitsIT {
  private static final String VERSION = "2025-11-25";
  /** 20 a minute: a token every 3 s, far longer than the calls of a burst take even on a loaded machine. */
  private static final String RATE = "20/m";
  private static final String ACME_KEY = "jk_test_" + "a".repeat(24);
  private static final String BETA_KEY = "jk_test_" + "b".repeat(24);

  private Vertx vertx;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aStatelessTenantOverItsRateGets429WithRetryAfterAndIsServedOnceItWaited() {
    JsonObject extra = new JsonObject().put("admin", Admin.config())
        .put("rateLimit", new JsonObject().put("rate", RATE).put("burst", 2));
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("s", Gateway.http(stub.url())), extra);
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      double counted = rateLimited(admin, "tenant", "-", "-");
      assertThat(statelessCall(mcp, "a", 1).result()).isNotNull();
      assertThat(statelessCall(mcp, "a", 2).result()).isNotNull();

      RawMcp.Reply refused = statelessCall(mcp, "a", 3);
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.last().getValue("id")).isEqualTo(3);
      JsonObject error = refused.error();
      assertThat(error.getInteger("code")).isEqualTo(-32029);
      JsonObject data = error.getJsonObject("data");
      assertThat(data.getString("scope")).isEqualTo("tenant");
      long retryAfterMs = data.getLong("retryAfterMs");
      assertThat(retryAfterMs).isBetween(1L, 3_000L);
      assertThat(refused.headers().get("Retry-After")).isEqualTo(Long.toString((retryAfterMs + 999) / 1_000));
      assertThat(stub.count("tools/call")).as("the upstream never saw the refused call").isEqualTo(2);

      assertThat(statelessCall(mcp, "b", 4).result()).as("another tenant has a bucket of its own").isNotNull();
      assertThat(stub.count("tools/call")).isEqualTo(3);

      assertThat(rateLimited(admin, "tenant", "-", "-")).isEqualTo(counted + 1);
      String tenantKey = Names.sha256Hex("x-tenant-id\0a\n");
      assertThat(admin.metrics()).as("no tenant key in the metrics").doesNotContain(tenantKey);
      healthy(admin);

      vertx.timer(retryAfterMs).await();
      assertThat(statelessCall(mcp, "a", 5).result()).as("served again after retryAfterMs").isNotNull();
      assertThat(stub.count("tools/call")).isEqualTo(4);
    }
  }

  @Test
  void aSessionOverItsToolOrUpstreamRateGetsAJsonRpcErrorAndOtherTenantsAreServed() {
    JsonObject auth = new JsonObject()
        .put("apiKeys", new JsonArray()
            .add(new JsonObject().put("sha256", Names.sha256Hex(ACME_KEY)).put("tenant", "acme"))
            .add(new JsonObject().put("sha256", Names.sha256Hex(BETA_KEY)).put("tenant", "beta")))
        .put("tenants", new JsonObject().put("acme", new JsonObject()).put("beta", new JsonObject()));
    JsonObject upstream = Gateway.http("")
        .put("rateLimit", new JsonObject().put("rate", RATE).put("burst", 3))
        .put("toolRateLimits", new JsonObject().put("search", new JsonObject().put("rate", RATE).put("burst", 1)));
    try (StubMcpServer stub = StubMcpServer.start(StubMcpServer.Spec.basic().withTools(List.of("echo", "search"), 100));
         Gateway gateway = Gateway.start(new JsonObject().put("s", upstream.put("url", stub.url())),
             new JsonObject().put("admin", Admin.config()).put("auth", auth));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      double toolCounted = rateLimited(admin, "tool", "acme", "s");
      double upstreamCounted = rateLimited(admin, "upstream", "acme", "s");
      MultiMap acme = session(mcp, ACME_KEY);
      // the gateway's own list of the aggregate endpoint costs the upstream's limit nothing
      assertThat(mcp.post(acme, request(1, "tools/list", new JsonObject())).result()).isNotNull();

      assertThat(call(mcp, acme, 2, "s_search").result()).isNotNull();
      RawMcp.Reply tool = call(mcp, acme, 3, "s_search");
      assertThat(tool.status()).as("in a session, a JSON-RPC error in a 200").isEqualTo(200);
      assertThat(tool.headers().get("Retry-After")).isNull();
      assertThat(tool.last().getValue("id")).isEqualTo(3);
      assertThat(tool.error().getInteger("code")).isEqualTo(-32029);
      assertThat(tool.error().getJsonObject("data").getString("scope")).isEqualTo("tool");
      assertThat(tool.error().getJsonObject("data").getString("upstream")).isEqualTo("s");
      assertThat(tool.error().getJsonObject("data").getLong("retryAfterMs")).isBetween(1L, 3_000L);

      // the refused call took no token of the upstream's limit: two of three are left
      assertThat(call(mcp, acme, 4, "s_echo").result()).isNotNull();
      assertThat(call(mcp, acme, 5, "s_echo").result()).isNotNull();
      RawMcp.Reply full = call(mcp, acme, 6, "s_echo");
      assertThat(full.status()).isEqualTo(200);
      assertThat(full.error().getInteger("code")).isEqualTo(-32029);
      assertThat(full.error().getJsonObject("data").getString("scope")).isEqualTo("upstream");
      long retryAfterMs = full.error().getJsonObject("data").getLong("retryAfterMs");
      assertThat(retryAfterMs).isBetween(1L, 3_000L);
      assertThat(stub.count("tools/call")).as("the upstream never saw the refused calls").isEqualTo(3);

      MultiMap beta = session(mcp, BETA_KEY);
      assertThat(call(mcp, beta, 7, "s_search").result()).as("another tenant has buckets of its own").isNotNull();
      assertThat(stub.count("tools/call")).isEqualTo(4);

      assertThat(rateLimited(admin, "tool", "acme", "s")).isEqualTo(toolCounted + 1);
      assertThat(rateLimited(admin, "upstream", "acme", "s")).isEqualTo(upstreamCounted + 1);
      healthy(admin);

      vertx.timer(retryAfterMs).await();
      assertThat(call(mcp, acme, 8, "s_search").result()).as("served again after retryAfterMs").isNotNull();
      assertThat(stub.count("tools/call")).isEqualTo(5);
    }
  }

  private static RawMcp.Reply statelessCall(RawMcp mcp, String tenant, int id) {
    return mcp.post(RawMcp.statelessHeaders("tools/call", "s_echo").add("x-tenant-id", tenant),
        RawMcp.statelessRequest(id, "tools/call", new JsonObject().put("name", "s_echo")));
  }

  private static RawMcp.Reply call(RawMcp mcp, MultiMap session, int id, String tool) {
    return mcp.post(session, request(id, "tools/call", new JsonObject().put("name", tool)
        .put("arguments", new JsonObject())));
  }

  private static JsonObject request(int id, String method, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params);
  }

  /** Opens a session with an API key; returns the headers of its requests. */
  private static MultiMap session(RawMcp mcp, String key) {
    RawMcp.Reply r = mcp.post(RawMcp.postHeaders().add("X-API-Key", key), request(0, "initialize", new JsonObject()
        .put("protocolVersion", VERSION).put("capabilities", new JsonObject())
        .put("clientInfo", new JsonObject().put("name", "t").put("version", "1"))));
    assertThat(r.status()).isEqualTo(200);
    MultiMap headers = RawMcp.sessionHeaders(r.headers().get("Mcp-Session-Id"), VERSION).add("X-API-Key", key);
    mcp.post(headers, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
    return headers;
  }

  /** The refusals are the gateway's own: the upstream's circuit stays closed and nothing counts against it. */
  private static void healthy(Admin admin) {
    JsonObject view = admin.upstream("s");
    assertThat(view.getString("circuit")).isEqualTo("closed");
    assertThat(view.getInteger("consecutiveFailures")).isZero();
  }

  /** {@code junction_rate_limited_total} for one series, 0 while it does not exist. */
  private static double rateLimited(Admin admin, String scope, String tenant, String upstream) {
    Matcher m = Pattern.compile("(?m)^junction_rate_limited_total\\{scope=\"" + scope + "\",tenant=\""
        + Pattern.quote(tenant) + "\",upstream=\"" + Pattern.quote(upstream) + "\",?} (\\S+)$").matcher(admin.metrics());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
