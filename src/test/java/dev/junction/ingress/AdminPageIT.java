package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Admin;
import dev.junction.testkit.Await;
import dev.junction.testkit.ClosedPort;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin page in a real headless browser (Debian's chromium driven by puppeteer-core): without
 * the token it shows only the refusal, with it a healthy and a down upstream as they are, and the
 * request-rate chart moves under load. Screenshots go to {@code target/admin-page/}.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdminPageIT {
  private static final Path SHOTS = Path.of("target", "admin-page").toAbsolutePath();

  @Test
  void thePageShowsUpstreamsAndChartsOnlyWithTheToken() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium is installed by .ci/run");
    Node.requireInstalled();
    Files.createDirectories(SHOTS);
    JsonObject health = new JsonObject().put("probeInterval", "200ms").put("failureThreshold", 2)
        .put("reconnect", new JsonObject().put("initialDelay", "300ms").put("maxDelay", "1s"));
    try (ClosedPort down = new ClosedPort();
         StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("ok", Gateway.http(stub.url()))
             .put("down", Gateway.http(down.url())),
             new JsonObject().put("health", health).put("admin", Admin.config()));
         Admin admin = new Admin(gateway);
         RawMcp raw = new RawMcp(gateway.url("/admin/ui"));
         RawMcp stats = new RawMcp(gateway.url("/admin/stats"))) {
      Await.until(() -> "Healthy".equals(admin.state("ok")), 10, "ok to be Healthy");
      Await.until(() -> "Disconnected".equals(admin.state("down")), 10, "down to be Disconnected");
      // the page is one file from the jar; its data needs the token
      RawMcp.Reply html = raw.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), null);
      assertThat(html.status()).isEqualTo(200);
      assertThat(html.headers().get("Content-Security-Policy")).contains("default-src 'none'");
      assertThat(html.body()).doesNotContain("http://").doesNotContain("https://").doesNotContain(Admin.TOKEN);
      assertThat(stats.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), null).status()).isEqualTo(401);

      JsonObject seen = Node.run("admin-page.mjs", "http://127.0.0.1:" + gateway.port(), Admin.TOKEN,
          SHOTS.toString(), gateway.url("/mcp"));
      JsonObject without = seen.getJsonObject("withoutToken");
      assertThat(without.getBoolean("refusedShown")).isTrue();
      assertThat(without.getBoolean("dataHidden")).isTrue();
      assertThat(without.getInteger("upstreamRows")).isZero();
      JsonObject with = seen.getJsonObject("withToken");
      assertThat(with.getString("url")).as("the token leaves the address bar").doesNotContain(Admin.TOKEN);
      assertThat(with.getJsonObject("upstreams").getString("ok")).isEqualTo("Healthy");
      assertThat(with.getJsonObject("upstreams").getString("down")).isEqualTo("Disconnected");
      JsonObject chart = seen.getJsonObject("chart");
      assertThat(chart.getDouble("peak")).as("the request-rate chart under load").isPositive();
      assertThat(seen.getJsonArray("requests")).allSatisfy(u ->
          assertThat((String) u).startsWith("http://127.0.0.1:" + gateway.port() + "/"));
      assertThat(SHOTS.resolve("admin-page.png")).isNotEmptyFile();
      assertThat(SHOTS.resolve("admin-refused.png")).isNotEmptyFile();
    }
  }
}
