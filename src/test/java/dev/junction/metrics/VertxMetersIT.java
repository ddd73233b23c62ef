package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code metrics.vertx: true} brings back Vert.x's own per-request meters. A class of its own:
 * gateways in one JVM share the default meter registry, and closing one closes it for the others.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VertxMetersIT {
  @Test
  void vertxMetersCanBeTurnedOn() {
    try (StubMcpServer stub = StubMcpServer.start();
        Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
            new JsonObject().put("metrics", new JsonObject().put("vertx", true)));
        RawMcp client = new RawMcp(gateway.url("/mcp"));
        RawMcp scraper = new RawMcp(gateway.url("/metrics"))) {
      var headers = RawMcp.statelessHeaders("tools/call", "stub_echo");
      assertThat(client.post(headers, RawMcp.statelessRequest(1, "tools/call", new JsonObject().put("name", "stub_echo")
          .put("arguments", new JsonObject().put("text", "hi")))).result()).isNotNull();
      String scrape = scraper.send(HttpMethod.GET, RawMcp.postHeaders(), null).body();
      assertThat(scrape).contains("vertx_http_server_requests_total").contains("vertx_http_client_requests_total")
          .contains("junction_requests_total");
    }
  }
}
