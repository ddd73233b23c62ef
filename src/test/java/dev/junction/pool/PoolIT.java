package dev.junction.pool;

import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The upstream session pool against a real (stub) upstream that records what each session saw. */
@ExtendWith(LogWatch.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolIT {
  private static final String V = "2025-11-25";
  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void client() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions(), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(128));
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Sends stateless tools/calls concurrently; returns the responses in order. */
  private List<HttpResponse<Buffer>> concurrently(String url, List<MultiMap> headers, List<JsonObject> arguments) {
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      JsonObject params = new JsonObject().put("name", "stub_echo").put("arguments", arguments.get(i));
      all.add(client.postAbs(url).putHeaders(RawMcp.statelessHeaders("tools/call", "stub_echo").addAll(headers.get(i)))
          .sendBuffer(RawMcp.statelessRequest(i, "tools/call", params).toBuffer()));
    }
    Future.all(all).await();
    return all.stream().map(Future::result).toList();
  }

  private static MultiMap tenant(String header, String value) {
    return MultiMap.caseInsensitiveMultiMap().add(header, value);
  }

  private static void await(BooleanSupplier condition, long seconds, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  @Test
  void aThousandCallsFromFiftyTenantsNeverShareASession() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("pool", new JsonObject().put("maxSessions", 3).put("maxInFlightPerSession", 4)))) {
      List<MultiMap> headers = new ArrayList<>();
      List<JsonObject> args = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        String t = "tenant-" + (i % 50);
        headers.add(tenant("X-Tenant-Id", t));
        args.add(new JsonObject().put("marker", t));
      }
      List<HttpResponse<Buffer>> responses = concurrently(gateway.url("/mcp"), headers, args);
      assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200));
      assertThat(responses).allSatisfy(r -> assertThat(r.bodyAsJsonObject().getJsonObject("result")).isNotNull());
      Map<String, Set<Object>> seen = stub.callArgumentsBySession("marker");
      assertThat(seen.values().stream().mapToInt(Set::size).sum()).isEqualTo(seen.size()); // one tenant per session
      assertThat(seen.values().stream().flatMap(Set::stream).distinct().count()).isEqualTo(50);
      assertThat(stub.initializeCount()).isBetween(50, 150); // at most maxSessions per tenant
    }
  }

  @Test
  void clientSharingGivesEachClientItsOwnSessionAndTenantSharingPools() {
    try (StubMcpServer own = StubMcpServer.start();
         StubMcpServer shared = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject()
             .put("own", Gateway.http(own.url()).put("sharing", "client"))
             .put("shared", Gateway.http(shared.url()).put("sharing", "tenant")));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      for (String clientName : List.of("a", "b")) {
        RawMcp.Reply init = mcp.post(RawMcp.postHeaders().add("X-Tenant-Id", "one-tenant"), new JsonObject()
            .put("jsonrpc", "2.0").put("id", 0).put("method", "initialize").put("params", new JsonObject()
                .put("protocolVersion", V).put("capabilities", new JsonObject())
                .put("clientInfo", new JsonObject().put("name", clientName).put("version", "1"))));
        String session = init.headers().get("Mcp-Session-Id");
        for (String tool : List.of("own_echo", "shared_echo")) {
          for (int i = 0; i < 3; i++) {
            RawMcp.Reply r = mcp.post(sessionHeaders(session, V).add("X-Tenant-Id", "one-tenant"), new JsonObject()
                .put("jsonrpc", "2.0").put("id", i).put("method", "tools/call").put("params", new JsonObject()
                    .put("name", tool).put("arguments", new JsonObject().put("client", clientName))));
            assertThat(r.result()).isNotNull();
          }
        }
      }
      Map<String, Set<Object>> ownSessions = own.callArgumentsBySession("client");
      assertThat(ownSessions).hasSize(2).allSatisfy((session, clients) -> assertThat(clients).hasSize(1));
      Map<String, Set<Object>> sharedSessions = shared.callArgumentsBySession("client");
      assertThat(sharedSessions).hasSize(1);
      assertThat(sharedSessions.values().iterator().next()).containsExactlyInAnyOrder("a", "b");
    }
  }

  @Test
  void aHundredConcurrentFirstCallsInitializeOnce() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("pool", new JsonObject().put("maxInFlightPerTenant", 200)))) {
      List<MultiMap> headers = new ArrayList<>();
      List<JsonObject> args = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        headers.add(tenant("Authorization", "Bearer the-same-token"));
        args.add(new JsonObject());
      }
      List<HttpResponse<Buffer>> responses = concurrently(gateway.url("/mcp"), headers, args);
      assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      assertThat(stub.initializeCount()).isEqualTo(1);
      assertThat(stub.count("tools/call")).isEqualTo(100);
      // whether any of the 100 found the session ready depends on timing; one more call surely does
      assertThat(concurrently(gateway.url("/mcp"), List.of(tenant("Authorization", "Bearer the-same-token")),
          List.of(new JsonObject()))).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      try (RawMcp metrics = new RawMcp(gateway.url("/metrics"))) {
        String scrape = metrics.send(HttpMethod.GET, RawMcp.postHeaders(), null).body();
        assertThat(scrape).contains("junction_pool_misses_total{upstream=\"stub\"} 1.0")
            .contains("junction_pool_sessions{upstream=\"stub\"} 1.0")
            .contains("junction_pool_in_flight{upstream=\"stub\"} 0.0")
            .contains("junction_pool_hits_total{upstream=\"stub\"}")
            .contains("junction_pool_initialize_seconds_count{upstream=\"stub\"} 1")
            .contains("junction_pool_acquire_wait_seconds_count{upstream=\"stub\"}")
            .doesNotContain("the-same-token");
      }
    }
  }

  @Test
  void tenThousandRotatingTokensFallBackAfterTheIdleTimeout() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())), new JsonObject()
             .put("sessionIdleTimeout", "1s")
             .put("admin", new JsonObject().put("token", "admin-secret"))
             .put("pool", new JsonObject().put("idleTimeout", "1s").put("evictionInterval", "200ms")));
         RawMcp admin = new RawMcp(gateway.url("/admin/pool"))) {
      for (int batch = 0; batch < 100; batch++) {
        List<MultiMap> headers = new ArrayList<>();
        List<JsonObject> args = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          headers.add(tenant("Authorization", "Bearer token-" + (batch * 100 + i)));
          args.add(new JsonObject());
        }
        assertThat(concurrently(gateway.url("/mcp"), headers, args)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      }
      assertThat(stub.initializeCount()).isEqualTo(10_000);
      MultiMap auth = RawMcp.postHeaders().add("Authorization", "Bearer admin-secret");
      await(() -> admin.send(HttpMethod.GET, auth, null).last().getInteger("keyCount") == 0, 30, "pool keys to be evicted");
      JsonObject view = admin.send(HttpMethod.GET, auth, null).last();
      assertThat(view.getInteger("sessionCount")).isZero();
      await(() -> stub.liveSessions() == 0, 10, "every upstream session to be ended with DELETE");
      assertThat(stub.deleted()).hasSize(10_000);
      // connections are pooled: bounded by the shards' HTTP client pools, not by tenants
      // per shard: 64 for requests and 8 for the DELETEs that end sessions
      assertThat(stub.openConnections()).isLessThanOrEqualTo(2 * (64 + 8));
    }
  }

  @Test
  void aFailingUpstreamTripsTheCircuitAndRecoversThroughAReconnectProbe() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())), new JsonObject()
             .put("health", new JsonObject().put("failureThreshold", 3)
                 .put("reconnect", new JsonObject().put("initialDelay", "1500ms").put("jitter", 0))));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"));
         RawMcp metrics = new RawMcp(gateway.url("/metrics"))) {
      assertThat(mcp.stateless(0, "tools/call", new JsonObject().put("name", "stub_echo")).result()).isNotNull();
      stub.failing(true);
      for (int i = 1; i <= 3; i++) {
        RawMcp.Reply r = mcp.stateless(i, "tools/call", new JsonObject().put("name", "stub_echo"));
        assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("stub");
      }
      await(() -> {
        RawMcp.Reply r = mcp.stateless(9, "tools/call", new JsonObject().put("name", "stub_echo"));
        return r.error() != null && r.error().getString("message").contains("circuit open");
      }, 5, "the circuit to open");
      long callsWhileOpen = stub.count("tools/call");
      RawMcp.Reply open = mcp.stateless(10, "tools/call", new JsonObject().put("name", "stub_echo"));
      assertThat(open.error().getInteger("code")).isEqualTo(-32603);
      assertThat(open.error().getJsonObject("data").getString("upstream")).isEqualTo("stub");
      assertThat(stub.count("tools/call")).isEqualTo(callsWhileOpen); // answered without the upstream
      assertThat(metrics.send(HttpMethod.GET, RawMcp.postHeaders(), null).body())
          .contains("junction_circuit_trips_total{upstream=\"stub\"} 1.0")
          .contains("junction_circuit_state{upstream=\"stub\"} 2.0");
      stub.failing(false);
      await(() -> mcp.stateless(11, "tools/call", new JsonObject().put("name", "stub_echo")).result() != null, 10,
          "a reconnect probe to close the circuit");
      assertThat(mcp.stateless(12, "tools/call", new JsonObject().put("name", "stub_echo")).result()).isNotNull();
      assertThat(metrics.send(HttpMethod.GET, RawMcp.postHeaders(), null).body())
          .contains("junction_circuit_state{upstream=\"stub\"} 0.0");
    }
  }

  @Test
  void theHealthChainFallsThroughToToolsListAndReplacesDeadSessions() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())), new JsonObject()
             .put("pool", new JsonObject().put("healthCheckInterval", "200ms")));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      stub.noPing(true);
      assertThat(mcp.stateless(1, "tools/call", new JsonObject().put("name", "stub_echo")).result()).isNotNull();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(400));
      assertThat(mcp.stateless(2, "tools/call", new JsonObject().put("name", "stub_echo")).result()).isNotNull();
      List<String> methods = stub.received().stream().map(m -> m.getString("method")).toList();
      assertThat(methods).containsSubsequence("tools/call", "ping", "tools/list", "tools/call");
      assertThat(stub.initializeCount()).isEqualTo(1); // the checked session was kept
      // a session the upstream forgot fails its check: the call gets a fresh session, not an error
      stub.expireSessions();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(400));
      assertThat(mcp.stateless(3, "tools/call", new JsonObject().put("name", "stub_echo")).result()).isNotNull();
      assertThat(stub.initializeCount()).isEqualTo(2);
      try (RawMcp metrics = new RawMcp(gateway.url("/metrics"))) {
        assertThat(metrics.send(HttpMethod.GET, RawMcp.postHeaders(), null).body())
            .contains("junction_pool_health_check_failures_total{upstream=\"stub\"} 1.0")
            .contains("junction_pool_sessions_reaped_total{reason=\"unhealthy\",upstream=\"stub\"} 1.0");
      }
    }
  }

  @Test
  void aNewCredentialMovesCallsToNewSessionsAndTheOldOnesDrain(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("token");
    Files.writeString(secret, "Bearer first-secret\n");
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())
                 .put("headerFiles", new JsonObject().put("Authorization", secret.toString()))),
             new JsonObject().put("secretRefreshInterval", "100ms"));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      MultiMap tenant = RawMcp.statelessHeaders("tools/call", "stub_echo").add("X-Tenant-Id", "acme");
      JsonObject call = RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", "stub_echo"));
      assertThat(mcp.post(tenant, call).result()).isNotNull();
      assertThat(mcp.post(tenant, call).result()).isNotNull();
      assertThat(stub.initializeCount()).isEqualTo(1); // the same credential reuses the session
      assertThat(stub.authorizationOf("stub-1")).isEqualTo("Bearer first-secret");
      Files.writeString(secret, "Bearer second-secret\n");
      await(() -> {
        assertThat(mcp.post(tenant, call).result()).isNotNull();
        return stub.initializeCount() == 2;
      }, 10, "a call on a session with the new credential");
      assertThat(stub.authorizationOf("stub-2")).isEqualTo("Bearer second-secret");
      await(() -> stub.deleted().contains("stub-1"), 10, "the old session to drain and close");
      assertThat(mcp.post(tenant, call).result()).isNotNull();
      assertThat(stub.initializeCount()).isEqualTo(2);
      assertThat(LogWatch.lines()).noneMatch(l -> l.contains("first-secret") || l.contains("second-secret"));
    }
  }

  @Test
  void anonymousRequestsCanBeRejectedAndTheAdminViewNeedsItsToken() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())), new JsonObject()
             .put("pool", new JsonObject().put("anonymous", "reject"))
             .put("admin", new JsonObject().put("token", "admin-secret")));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"));
         RawMcp admin = new RawMcp(gateway.url("/admin/pool"))) {
      RawMcp.Reply anonymous = mcp.stateless(1, "tools/call", new JsonObject().put("name", "stub_echo"));
      assertThat(anonymous.status()).isEqualTo(401);
      // a 2025-03-26 batch, and both legacy HTTP+SSE requests, are turned away before any session is looked up
      RawMcp.Reply batch = mcp.post(RawMcp.postHeaders().add("Mcp-Session-Id", "made-up")
          .add("MCP-Protocol-Version", "2025-03-26"), "[{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}]");
      assertThat(batch.status()).isEqualTo(401);
      assertThat(batch.error().getInteger("code")).isEqualTo(-32600);
      try (RawMcp sse = new RawMcp(gateway.url("/sse"));
           RawMcp message = new RawMcp(gateway.url("/message?sessionId=made-up"))) {
        RawMcp.Reply stream = sse.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap()
            .add("Accept", "text/event-stream"), null);
        assertThat(stream.status()).isEqualTo(401);
        assertThat(stream.error().getString("message")).startsWith("Identity required");
        RawMcp.Reply post = message.post(RawMcp.postHeaders(), new JsonObject().put("jsonrpc", "2.0").put("id", 7)
            .put("method", "ping"));
        assertThat(post.status()).isEqualTo(401);
        assertThat(post.last().getValue("id")).isEqualTo(7);
      }
      try (RawMcp metrics = new RawMcp(gateway.url("/metrics"))) {
        assertThat(metrics.send(HttpMethod.GET, RawMcp.postHeaders(), null).body())
            .contains("junction_anonymous_requests_total{outcome=\"rejected\"} 4.0");
      }
      RawMcp.Reply named = mcp.post(RawMcp.statelessHeaders("tools/call", "stub_echo").add("X-User-Id", "u1"),
          RawMcp.statelessRequest(2, "tools/call", new JsonObject().put("name", "stub_echo")));
      assertThat(named.result()).isNotNull();
      assertThat(admin.send(HttpMethod.GET, RawMcp.postHeaders(), null).status()).isEqualTo(401);
      assertThat(admin.send(HttpMethod.GET, RawMcp.postHeaders().add("Authorization", "Bearer wrong"), null).status()).isEqualTo(401);
      RawMcp.Reply view = admin.send(HttpMethod.GET, RawMcp.postHeaders().add("Authorization", "Bearer admin-secret"), null);
      assertThat(view.status()).isEqualTo(200);
      JsonObject key = view.last().getJsonArray("keys").getJsonObject(0);
      assertThat(key.getString("upstream")).isEqualTo("stub");
      assertThat(key.getString("sharing")).isEqualTo("tenant");
      assertThat(key.getJsonArray("sessions").getJsonObject(0).getString("state")).isEqualTo("ready");
      assertThat(view.body()).doesNotContain("u1").doesNotContain(tenantKeyOf("u1"));
    }
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())));
         RawMcp admin = new RawMcp(gateway.url("/admin/pool"))) {
      assertThat(admin.send(HttpMethod.GET, RawMcp.postHeaders(), null).status()).isEqualTo(404); // off without a token
    }
  }

  /** The tenant key the gateway derives from one X-User-Id header (to prove it is not shown). */
  private static String tenantKeyOf(String user) {
    return dev.junction.routing.Names.sha256Hex("x-user-id\0" + user + "\n");
  }
}
