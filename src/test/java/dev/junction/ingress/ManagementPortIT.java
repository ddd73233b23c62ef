package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.Issuer;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawHttp;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With {@code management: {host, port}}, the operators' routes are on their own port and gone from
 * the MCP port, which keeps the MCP endpoints and the RFC 9728 metadata; without it, one port
 * serves both, as before.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManagementPortIT {
  private static final String RESOURCE = "https://junction.test";
  private static final List<String> OPERATIONS = List.of("/healthz", "/readyz", "/metrics", "/admin/pool",
      "/admin/upstreams");

  private static int status(String url, String token) {
    try (RawMcp http = new RawMcp(url)) {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      if (token != null) {
        headers.add("Authorization", "Bearer " + token);
      }
      return http.send(HttpMethod.GET, headers, null).status();
    }
  }

  @Test
  void operationsMoveToTheManagementPort() {
    try (Issuer issuer = Issuer.start();
         StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())), new JsonObject()
             .put("auth", new JsonObject().put("resource", RESOURCE)
                 .put("oauth", new JsonObject().put("issuer", issuer.issuer("default"))))
             .put("admin", new JsonObject().put("token", "admin-secret"))
             .put("management", new JsonObject().put("host", "127.0.0.1").put("port", 0)))) {
      int management = gateway.junction().managementPort();
      assertThat(management).isPositive().isNotEqualTo(gateway.port());
      String base = "http://127.0.0.1:" + management;
      for (String path : OPERATIONS) {
        assertThat(status(base + path, "admin-secret")).as("management " + path).isEqualTo(200);
        assertThat(status(gateway.url(path), "admin-secret")).as("MCP port " + path).isEqualTo(404);
      }
      assertThat(status(base + "/admin/pool", "wrong")).as("the admin token still holds there").isEqualTo(401);
      // DNS rebinding (issue 18 point 6): the Host check holds on the management port too
      for (String path : OPERATIONS) {
        RawHttp.Read r = RawHttp.exchange(management, "GET", path, "rebind.attacker.example:" + management);
        assertThat(r.status()).as("rebinding Host on management " + path).isEqualTo(403);
        assertThat(r.json().getString("error")).isNotBlank();
        assertThat(r.body()).doesNotContain("junction_");
      }
      assertThat(RawHttp.exchange(management, "GET", "/healthz", "junction.test").status())
          .as("the resource's host is allowed").isEqualTo(200);
      assertThat(status(base + "/mcp", null)).as("no MCP on the management port").isEqualTo(404);
      assertThat(status(base + "/.well-known/oauth-protected-resource", null)).isEqualTo(404);

      assertThat(status(gateway.url("/.well-known/oauth-protected-resource"), null)).isEqualTo(200);
      String token = issuer.token("default", "u1", RESOURCE, Map.of(), 60);
      try (RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
        RawMcp.Reply list = mcp.post(
            RawMcp.statelessHeaders("tools/list", null).add("Authorization", "Bearer " + token),
            RawMcp.statelessRequest(1, "tools/list", null));
        assertThat(list.result().getJsonArray("tools")).isNotEmpty();
      }
    }
  }

  @Test
  void withoutManagementOnePortServesBoth() {
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("admin", new JsonObject().put("token", "admin-secret")))) {
      assertThat(gateway.junction().managementPort()).isEqualTo(-1);
      for (String path : OPERATIONS) {
        assertThat(status(gateway.url(path), "admin-secret")).as(path).isEqualTo(200);
      }
    }
  }
}
