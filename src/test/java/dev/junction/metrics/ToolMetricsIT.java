package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.Names;
import dev.junction.testkit.Admin;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-tool and per-tenant labels after real traffic: a listed tool labels its series, a declared
 * tenant labels its calls when {@code metrics.tenantLabels} is on, and a flood of made-up tool names
 * all land on one {@code other} series.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ToolMetricsIT {
  private static final String ACME_KEY = "acme-key-for-tool-metrics";

  private static RawMcp.Reply call(RawMcp mcp, String tool) {
    MultiMap headers = RawMcp.statelessHeaders("tools/call", tool).add("X-API-Key", ACME_KEY);
    return mcp.post(headers, RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", tool)
        .put("arguments", new JsonObject().put("text", "x"))));
  }

  private static List<String> series(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("junction_tool_calls_total{")).toList();
  }

  @Test
  void toolAndTenantLabelsAppearAndStayBounded() {
    JsonObject auth = new JsonObject()
        .put("apiKeys", new JsonArray().add(new JsonObject().put("sha256", Names.sha256Hex(ACME_KEY))
            .put("tenant", "acme")))
        .put("tenants", new JsonObject().put("acme", new JsonObject()));
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("admin", Admin.config()).put("auth", auth)
                 .put("metrics", new JsonObject().put("tenantLabels", true)));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      // the aggregate list makes the gateway fetch the upstream's tools: those names may label meters
      assertThat(mcp.post(RawMcp.statelessHeaders("tools/list", null).add("X-API-Key", ACME_KEY),
          RawMcp.statelessRequest(1, "tools/list", new JsonObject())).result()).isNotNull();
      assertThat(call(mcp, "stub_echo").result()).isNotNull();
      assertThat(admin.metrics()).contains(
          "junction_tool_calls_total{outcome=\"ok\",tenant=\"acme\",tool=\"echo\",upstream=\"stub\"} 1.0")
          .contains("junction_tool_duration_seconds_count{tenant=\"acme\",tool=\"echo\",upstream=\"stub\"}");
      call(mcp, "stub_made-up-0");
      List<String> before = series(admin.metrics()).stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
      for (int i = 1; i < 300; i++) {
        call(mcp, "stub_made-up-" + i);
      }
      List<String> after = series(admin.metrics()).stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
      assertThat(after).as("made-up names add no series").containsExactlyInAnyOrderElementsOf(before);
      assertThat(admin.metrics()).doesNotContain("made-up").doesNotContain(ACME_KEY);
    }
  }
}
