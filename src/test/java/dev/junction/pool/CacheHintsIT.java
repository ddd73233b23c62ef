package dev.junction.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.RawMcp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The caching hints a 2026-07-28 client gets on lists the gateway merges: two TypeScript SDK v2
 * upstreams whose tools/list says {@code ttlMs: 60000, cacheScope: public}, and a session-based one
 * that says nothing. A merge of the two modern ones keeps their hints; a merge with the legacy one
 * may not be kept or shared.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CacheHintsIT {
  private static Node.HttpServer modernA;
  private static Node.HttpServer modernB;
  private static Gateway gateway;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    modernA = Node.HttpServer.stateless();
    modernB = Node.HttpServer.stateless();
    gateway = Gateway.start(new JsonObject()
            .put("a", Gateway.http(modernA.url()))
            .put("b", Gateway.http(modernB.url()))
            .put("legacy", Gateway.stdio("legacy")),
        new JsonObject().put("virtualServers", new JsonObject()
            .put("modern", new JsonObject().put("upstreams", new JsonArray().add("a").add("b")))));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (modernA != null) {
      modernA.close();
    }
    if (modernB != null) {
      modernB.close();
    }
  }

  private static JsonObject toolsList(String path) {
    try (RawMcp mcp = new RawMcp(gateway.url(path))) {
      RawMcp.Reply r = mcp.stateless(1, "tools/list", null);
      assertThat(r.status()).isEqualTo(200);
      return r.result();
    }
  }

  @Test
  void aMergeOfPublicPagesKeepsTheirHints() {
    JsonObject result = toolsList("/v/modern/mcp");
    assertThat(result.getJsonArray("tools").size()).isEqualTo(2);
    assertThat(result.getLong("ttlMs")).isBetween(1L, 60_000L);
    assertThat(result.getString("cacheScope")).isEqualTo("public");
  }

  @Test
  void aMergeWithAPageWithoutHintsIsNeitherKeptNorShared() {
    JsonObject result = toolsList("/mcp");
    assertThat(result.getJsonArray("tools").size()).isGreaterThan(2);
    assertThat(result.getLong("ttlMs")).isZero();
    assertThat(result.getString("cacheScope")).isEqualTo("private");
  }
}
