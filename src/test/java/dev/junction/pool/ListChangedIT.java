package dev.junction.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.SdkClients;
import dev.junction.testkit.SdkHttpServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/** An upstream's list change reaches its clients once, and the gateway's cached list follows it. */
@ExtendWith(LogWatch.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListChangedIT {

  @Test
  void aChangeIsRelayedOnceAndTheCacheFollows() {
    try (SdkHttpServer alpha = SdkHttpServer.start("alpha");
         Gateway gateway = Gateway.start(new JsonObject().put("alpha", Gateway.http(alpha.url())),
             new JsonObject().put("listCacheTtl", "10m"))) {
      var changes = new CopyOnWriteArrayList<List<Tool>>();
      var options = SdkClients.options().customize(spec -> spec.toolsChangeConsumer(changes::add));
      try (McpSyncClient client = SdkClients.http(gateway.url("/mcp"), options)) {
        assertThat(client.listTools().tools()).extracting(Tool::name).doesNotContain("alpha_extra");
        // let the client's GET stream open before the change
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        var extra = AsyncToolSpecification.builder()
            .tool(Tool.builder().name("extra").description("added later").inputSchema(Map.of("type", "object")).build())
            .callHandler((ex, req) -> Mono.just(CallToolResult.builder().addTextContent("extra").build()))
            .build();
        alpha.server().addTool(extra).block(); // announces list_changed
        alpha.server().notifyToolsListChanged().block(); // announces again, same content
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (changes.isEmpty() && System.nanoTime() < deadline) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_000)); // room for a duplicate to show up
        assertThat(changes).hasSize(1);
        // the SDK client re-lists on a change: the gateway's cache was dropped, so it sees the new tool
        assertThat(changes.get(0)).extracting(Tool::name).contains("alpha_extra");
        assertThat(client.listTools().tools()).extracting(Tool::name).contains("alpha_extra");
      }
    }
  }
}
