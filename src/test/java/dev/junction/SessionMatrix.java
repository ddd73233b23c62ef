package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.SdkClients;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ResourceReference;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session-based clients (the MCP Java SDK client, 2025-03-26 to 2025-11-25) through the gateway to
 * two real SDK upstreams, alpha and beta, on both endpoints. Subclasses choose the upstream transport.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class SessionMatrix {
  static Gateway gateway;

  /** Starts the gateway in front of alpha and beta; subclasses call it from @BeforeAll. */
  static void startGateway(JsonObject alpha, JsonObject beta) {
    gateway = Gateway.start(new JsonObject().put("alpha", alpha).put("beta", beta));
  }

  @AfterAll
  static void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  static McpSyncClient client(String path, SdkClients.Options options) {
    return SdkClients.http(gateway.url(path), options);
  }

  @Test
  void aggregateEndpointMergesAndRoutesByPrefix() {
    try (McpSyncClient c = client("/mcp", SdkClients.options())) {
      var init = c.getCurrentInitializationResult();
      assertThat(init.serverInfo().name()).isEqualTo("junction");
      assertThat(init.instructions()).contains("[alpha] Test server alpha").contains("[beta] Test server beta");
      assertThat(init.capabilities().tools()).isNotNull();
      assertThat(init.capabilities().prompts()).isNotNull();
      assertThat(c.listTools().tools()).extracting(Tool::name)
          .contains("alpha_echo", "alpha_whoami", "beta_echo", "beta_whoami").hasSize(22);
      assertThat(text(c.callTool(new CallToolRequest("alpha_whoami", Map.of())))).isEqualTo("alpha");
      assertThat(text(c.callTool(new CallToolRequest("beta_whoami", Map.of())))).isEqualTo("beta");
      assertThat(text(c.callTool(new CallToolRequest("beta_echo", Map.of("text", "via gateway"))))).isEqualTo("via gateway");
      assertThat(c.ping()).isNotNull();
    }
  }

  @Test
  void singleServerEndpointKeepsNames() {
    try (McpSyncClient c = client("/servers/beta/mcp", SdkClients.options())) {
      assertThat(c.getCurrentInitializationResult().serverInfo().name()).isEqualTo("beta");
      assertThat(c.listTools().tools()).extracting(Tool::name).contains("echo", "whoami").hasSize(11);
      assertThat(text(c.callTool(new CallToolRequest("whoami", Map.of())))).isEqualTo("beta");
      var hello = c.readResource(new ReadResourceRequest("test://beta/hello"));
      assertThat(((TextResourceContents) hello.contents().get(0)).text()).isEqualTo("hello from beta");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2025-03-26", "2025-06-18", "2025-11-25"})
  void everySessionRevisionIsServed(String version) {
    try (McpSyncClient c = client("/mcp", SdkClients.options().protocolVersions(version))) {
      assertThat(c.getCurrentInitializationResult().protocolVersion()).isEqualTo(version);
      assertThat(text(c.callTool(new CallToolRequest("alpha_echo", Map.of("text", version))))).isEqualTo(version);
    }
  }

  @Test
  void progressSamplingElicitationAndRootsReachTheClient() {
    var progress = new CopyOnWriteArrayList<ProgressNotification>();
    var options = SdkClients.options().allCapabilities().onProgress(progress::add);
    try (McpSyncClient c = client("/mcp", options)) {
      var withToken = CallToolRequest.builder("alpha_progress").arguments(Map.of("steps", 3))
          .progressToken("my-token").build();
      assertThat(text(c.callTool(withToken))).isEqualTo("done");
      awaitSize(progress, 3);
      // the SDK client hands notifications to consumers asynchronously, so their order is not kept
      assertThat(progress).extracting(ProgressNotification::progress).containsExactlyInAnyOrder(1.0, 2.0, 3.0);
      assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("my-token"));
      assertThat(text(c.callTool(new CallToolRequest("beta_sample", Map.of("prompt", "hi")))))
          .isEqualTo(SdkClients.SAMPLED_TEXT);
      assertThat(text(c.callTool(new CallToolRequest("alpha_elicit", Map.of())))).isEqualTo("hello junction");
      assertThat(text(c.callTool(new CallToolRequest("beta_roots", Map.of()))))
          .isEqualTo("file:///tmp/junction-a,file:///tmp/junction-b");
    }
  }

  @Test
  void loggingReachesTheClient() {
    var logs = new CopyOnWriteArrayList<LoggingMessageNotification>();
    try (McpSyncClient c = client("/mcp", SdkClients.options().onLogging(logs::add))) {
      c.setLoggingLevel(LoggingLevel.DEBUG);
      assertThat(text(c.callTool(new CallToolRequest("alpha_log", Map.of("text", "a note"))))).isEqualTo("logged");
      awaitSize(logs, 1);
      assertThat(logs).anySatisfy(l -> assertThat(l.data()).isEqualTo("a note"));
    }
  }

  @Test
  void promptsResourcesAndCompletionRoute() {
    try (McpSyncClient c = client("/mcp", SdkClients.options())) {
      assertThat(c.listPrompts().prompts()).extracting(p -> p.name()).contains("alpha_greet", "beta_greet");
      var prompt = c.getPrompt(new GetPromptRequest("beta_greet", Map.of("name", "Ada")));
      assertThat(((TextContent) prompt.messages().get(0).content()).text()).contains("Ada").contains("beta");
      assertThat(c.listResources().resources()).extracting(r -> r.uri()).contains("test://alpha/hello", "test://beta/hello");
      assertThat(c.listResourceTemplates().resourceTemplates()).extracting(t -> t.uriTemplate())
          .contains("test://alpha/items/{id}", "test://beta/items/{id}");
      var hello = c.readResource(new ReadResourceRequest("test://alpha/hello"));
      assertThat(((TextResourceContents) hello.contents().get(0)).text()).isEqualTo("hello from alpha");
      var item = c.readResource(new ReadResourceRequest("test://beta/items/7"));
      assertThat(((TextResourceContents) item.contents().get(0)).text()).isEqualTo("item 7 from beta");
      var names = c.completeCompletion(new CompleteRequest(new PromptReference("alpha_greet"),
          new CompleteRequest.CompleteArgument("name", "al")));
      assertThat(names.completion().values()).containsExactly("alice", "alan");
      var ids = c.completeCompletion(new CompleteRequest(new ResourceReference("test://beta/items/{id}"),
          new CompleteRequest.CompleteArgument("id", "4")));
      assertThat(ids.completion().values()).containsExactly("42");
    }
  }

  @Test
  void toolErrorsAreResultsAndUnknownToolsAreInvalidParams() {
    try (McpSyncClient c = client("/mcp", SdkClients.options())) {
      assertThat(c.callTool(new CallToolRequest("alpha_fail", Map.of())).isError()).isTrue();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.callTool(new CallToolRequest("gamma_echo", Map.of())))
          .hasMessageContaining("Unknown tool");
    }
  }

  static void awaitSize(List<?> list, int size) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (list.size() < size && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  static String text(CallToolResult result) {
    assertThat(result.isError()).as("isError of %s", result).isNotEqualTo(Boolean.TRUE);
    return ((TextContent) result.content().get(0)).text();
  }
}
