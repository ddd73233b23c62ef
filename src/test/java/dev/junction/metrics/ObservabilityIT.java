package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Metrics after real traffic, trace propagation seen at real upstreams, and what the logs hold. */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ObservabilityIT {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
  private static StubMcpServer stub;
  private static Gateway gateway;
  private static RawMcp mcp;
  private static RawMcp metrics;

  @BeforeAll
  static void start() {
    stub = StubMcpServer.start();
    gateway = Gateway.start(new JsonObject()
        .put("stub", Gateway.http(stub.url()).put("requestTimeout", "300ms"))
        .put("kit", Gateway.stdio("kit")));
    mcp = new RawMcp(gateway.url("/mcp"));
    metrics = new RawMcp(gateway.url("/metrics"));
  }

  @AfterAll
  static void stop() {
    mcp.close();
    metrics.close();
    gateway.close();
    stub.close();
  }

  private static RawMcp.Reply call(String tool, String traceparent, String token) {
    var headers = RawMcp.statelessHeaders("tools/call", tool).add("Authorization", "Bearer " + token);
    if (traceparent != null) {
      headers.add("traceparent", traceparent);
    }
    return mcp.post(headers, RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", tool)
        .put("arguments", new JsonObject().put("text", "secret-argument-value"))));
  }

  @Test
  void metricNamesAndLabelsAfterRealTraffic() {
    assertThat(call("stub_echo", null, "token-m1").result()).isNotNull();
    assertThat(call("stub_hang", null, "token-m1").error().getInteger("code")).isEqualTo(-32001);
    String scrape = metrics.send(HttpMethod.GET, RawMcp.postHeaders(), null).body();
    assertThat(scrape)
        .contains("junction_requests_total{generation=\"stateless\",method=\"tools/call\"}")
        .contains("junction_request_duration_seconds_bucket{endpoint=\"aggregate\",method=\"tools/call\",outcome=\"ok\"")
        .contains("junction_upstream_request_duration_seconds_count{method=\"tools/call\",outcome=\"ok\",upstream=\"stub\"}")
        .contains("junction_upstream_request_duration_seconds_count{method=\"tools/call\",outcome=\"timeout\",upstream=\"stub\"}")
        .contains("junction_upstream_errors_total{kind=\"timeout\",upstream=\"stub\"} 1.0")
        .contains("junction_pool_sessions{upstream=\"stub\"}")
        .contains("junction_circuit_state{upstream=\"stub\"}")
        .contains("junction_downstream_sessions")
        .contains("jvm_memory_used_bytes")
        .contains("junction_netty_memory_used_bytes{area=\"direct\"}");
    assertThat(scrape).doesNotContain("token-m1");
    // Vert.x's own per-request meters are off unless metrics.vertx says otherwise (they cost CPU on every call)
    assertThat(scrape).doesNotContain("vertx_http_server_requests_total").doesNotContain("vertx_http_client_requests_total")
        .doesNotContain("vertx_eventbus_handlers");
  }

  @Test
  void theNetworkIsEpollOnLinux() {
    // the native transport is a dependency for x86-64 and aarch64 Linux; elsewhere Vert.x uses NIO
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux")
        && java.util.List.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch")));
    assertThat(gateway.junction().vertx().isNativeTransportEnabled()).isTrue();
  }

  @Test
  void traceContextReachesHttpAndStdioUpstreams() {
    assertThat(call("stub_echo", TRACEPARENT, "token-t").result()).isNotNull();
    String atHttp = stub.traceparents().get(stub.traceparents().size() - 1);
    assertThat(atHttp).startsWith("00-" + TRACE_ID + "-").endsWith("-01").isNotEqualTo(TRACEPARENT);
    RawMcp.Reply stdio = call("kit_meta", TRACEPARENT, "token-t");
    JsonObject meta = new JsonObject(stdio.result().getJsonArray("content").getJsonObject(0).getString("text"));
    assertThat(meta.getString("traceparent")).startsWith("00-" + TRACE_ID + "-").isNotEqualTo(TRACEPARENT);
    // a malformed traceparent is not passed on
    int before = stub.traceparents().size();
    assertThat(call("stub_echo", "00-nonsense", "token-t").result()).isNotNull();
    assertThat(stub.traceparents()).hasSize(before);
  }

  @Test
  void requestsAreLoggedWithoutBodiesOrCredentials() {
    assertThat(call("stub_echo", null, "very-secret-token").result()).isNotNull();
    // the line is written when the response has ended, which may be after the client has it
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (LogWatch.lines().stream().noneMatch(l -> l.startsWith("junction.access POST /mcp tools/call 200"))
        && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    assertThat(LogWatch.lines()).anyMatch(l -> l.startsWith("junction.access POST /mcp tools/call 200"));
    assertThat(LogWatch.lines()).noneMatch(l -> l.contains("very-secret-token") || l.contains("secret-argument-value"));
  }
}
