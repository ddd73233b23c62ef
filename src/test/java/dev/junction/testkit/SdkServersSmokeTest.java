package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ResourceReference;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Talks directly (no gateway) to the test kit's SDK servers, over Streamable HTTP and over stdio,
 * with the SDK client, to prove that the kit itself works.
 */
@Timeout(60)
class SdkServersSmokeTest {

  private static SdkHttpServer http;

  @BeforeAll
  static void startHttp() {
    http = SdkHttpServer.start("alpha");
  }

  @AfterAll
  static void stopHttp() {
    if (http != null) {
      http.close();
    }
  }

  @Test
  void httpServerServesEveryFeature() {
    assertThat(http.url()).matches("http://127\\.0\\.0\\.1:\\d+/mcp");
    exercise("alpha", (opts, unused) -> SdkClients.http(http.url(), opts));
  }

  @Test
  void stdioServerServesEveryFeature() {
    exercise("beta", (opts, name) -> SdkClients.stdio(SdkStdioServer.command(name), opts));
  }

  @Test
  void httpClientOffersTheChosenProtocolVersion() {
    try (var client = SdkClients.http(http.url(),
        SdkClients.options().protocolVersions(ProtocolVersions.MCP_2025_03_26))) {
      assertThat(client.getCurrentInitializationResult().protocolVersion()).isEqualTo("2025-03-26");
      assertThat(text(client.callTool(call("whoami", Map.of())))).isEqualTo("alpha");
    }
    try (var client = SdkClients.http(http.url())) {
      assertThat(client.getCurrentInitializationResult().protocolVersion()).isEqualTo("2025-11-25");
    }
  }

  @Test
  void stdioClientOffersTheChosenProtocolVersion() {
    try (var client = SdkClients.stdio(SdkStdioServer.command("gamma"),
        SdkClients.options().protocolVersions(ProtocolVersions.MCP_2024_11_05))) {
      assertThat(client.getCurrentInitializationResult().protocolVersion()).isEqualTo("2024-11-05");
      assertThat(text(client.callTool(call("echo", Map.of("text", "old"))))).isEqualTo("old");
    }
  }

  private static void exercise(String name, BiFunction<SdkClients.Options, String, McpSyncClient> connect) {
    var progress = new CopyOnWriteArrayList<ProgressNotification>();
    var logs = new CopyOnWriteArrayList<LoggingMessageNotification>();
    var options = SdkClients.options().allCapabilities().onProgress(progress::add).onLogging(logs::add);
    try (McpSyncClient client = connect.apply(options, name)) {
      var init = client.getCurrentInitializationResult();
      assertThat(init.serverInfo().name()).isEqualTo(name);
      assertThat(init.instructions()).isEqualTo("Test server " + name);
      assertThat(init.capabilities().resources().subscribe()).isTrue();
      assertThat(init.capabilities().completions()).isNotNull();

      assertThat(client.listTools().tools()).extracting(Tool::name).containsExactlyInAnyOrder(
          "echo", "add", "whoami", "progress", "sample", "elicit", "roots", "slow", "log", "meta", "fail");
      assertThat(text(client.callTool(call("echo", Map.of("text", "hi there"))))).isEqualTo("hi there");
      assertThat(text(client.callTool(call("add", Map.of("a", 2, "b", 3.5))))).isEqualTo("5.5");
      assertThat(text(client.callTool(call("whoami", Map.of())))).isEqualTo(name);

      var withToken = CallToolRequest.builder("progress").arguments(Map.of("steps", 3))
          .progressToken("tok-" + name).build();
      assertThat(text(client.callTool(withToken))).isEqualTo("done");
      awaitSize(progress, 3);
      // the SDK client hands notifications to consumers asynchronously, so their order is not kept
      assertThat(progress).extracting(ProgressNotification::progress).containsExactlyInAnyOrder(1.0, 2.0, 3.0);
      assertThat(progress).allSatisfy(p -> {
        assertThat(p.progressToken()).isEqualTo("tok-" + name);
        assertThat(p.total()).isEqualTo(3.0);
      });

      assertThat(text(client.callTool(call("sample", Map.of("prompt", "hi")))))
          .isEqualTo(SdkClients.SAMPLED_TEXT);
      assertThat(text(client.callTool(call("elicit", Map.of())))).isEqualTo("hello junction");
      assertThat(text(client.callTool(call("roots", Map.of()))))
          .isEqualTo("file:///tmp/junction-a,file:///tmp/junction-b");
      assertThat(text(client.callTool(call("slow", Map.of("ms", 50))))).isEqualTo("slow done");
      assertThat(text(client.callTool(call("log", Map.of("text", "note"))))).isEqualTo("logged");
      awaitSize(logs, 1);
      assertThat(logs).anySatisfy(l -> assertThat(l.data()).isEqualTo("note"));
      CallToolResult failed = client.callTool(call("fail", Map.of()));
      assertThat(failed.isError()).isTrue();

      var hello = client.readResource(new ReadResourceRequest("test://" + name + "/hello"));
      assertThat(((TextResourceContents) hello.contents().get(0)).text()).isEqualTo("hello from " + name);
      var item = client.readResource(new ReadResourceRequest("test://" + name + "/items/7"));
      assertThat(((TextResourceContents) item.contents().get(0)).text()).isEqualTo("item 7 from " + name);
      assertThat(client.listResourceTemplates().resourceTemplates().get(0).uriTemplate())
          .isEqualTo("test://" + name + "/items/{id}");

      var prompt = client.getPrompt(new GetPromptRequest("greet",
          Map.of("name", "Ada")));
      assertThat(((TextContent) prompt.messages().get(0).content()).text()).contains("Ada").contains(name);

      var names = client.completeCompletion(new CompleteRequest(new PromptReference("greet"),
          new CompleteRequest.CompleteArgument("name", "al")));
      assertThat(names.completion().values()).containsExactly("alice", "alan");
      var ids = client.completeCompletion(new CompleteRequest(new ResourceReference("test://" + name
          + "/items/{id}"), new CompleteRequest.CompleteArgument("id", "4")));
      assertThat(ids.completion().values()).containsExactly("42");
    }
  }

  /** The SDK client hands notifications to consumers asynchronously: the last may trail the result. */
  private static void awaitSize(List<?> list, int size) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (list.size() < size && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private static CallToolRequest call(String tool, Map<String, Object> args) {
    return new CallToolRequest(tool, args);
  }

  private static String text(CallToolResult result) {
    assertThat(result.isError()).as("isError of %s", result).isNotEqualTo(Boolean.TRUE);
    return ((TextContent) result.content().get(0)).text();
  }
}
