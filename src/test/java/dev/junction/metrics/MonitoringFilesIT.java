package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.junction.testkit.Admin;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped alert rules and Grafana dashboard parse, and every Junction metric they query is one
 * a gateway with an HTTP and a stdio upstream really exports (cluster-only metrics and waits aside).
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitoringFilesIT {
  private static final Path ALERTS = Path.of("k8s", "monitoring", "alerts.yaml");
  private static final Path DASHBOARD = Path.of("k8s", "monitoring", "grafana-dashboard.json");
  private static final Pattern METRIC = Pattern.compile("junction_[a-z_]+");

  private static Set<String> metrics(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      names.add(m.group().replaceAll("_(bucket|sum|count)$", ""));
    }
    return names;
  }

  @Test
  void theFilesParseAndQueryOnlyExportedMetrics() throws Exception {
    String alerts = Files.readString(ALERTS);
    String dashboard = Files.readString(DASHBOARD);
    var rules = new ObjectMapper(new YAMLFactory()).readTree(alerts).path("groups").get(0).path("rules");
    assertThat(rules.size()).isGreaterThanOrEqualTo(6);
    rules.forEach(r -> assertThat(r.path("alert").asText()).isNotBlank());
    assertThat(new JsonObject(dashboard).getJsonArray("panels")).isNotEmpty();

    Set<String> used = metrics(alerts + dashboard);
    used.removeIf(n -> n.startsWith("junction_cluster_"));
    // recorded only once a call has had to wait for a pooled session
    used.remove("junction_pool_acquire_wait_seconds");
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url()))
             .put("kit", Gateway.stdio("kit")), new JsonObject().put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      assertThat(mcp.stateless(1, "tools/list", new JsonObject()).result()).isNotNull();
      assertThat(mcp.stateless(2, "tools/call", new JsonObject().put("name", "stub_echo")
          .put("arguments", new JsonObject().put("text", "x"))).result()).isNotNull();
      assertThat(mcp.stateless(3, "tools/call", new JsonObject().put("name", "kit_echo")
          .put("arguments", new JsonObject().put("text", "x"))).result()).isNotNull();
      Set<String> exported = metrics(admin.metrics());
      assertThat(exported).containsAll(used);
    }
  }
}
