import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema.CallToolOutcome;
import io.modelcontextprotocol.modern.McpSchema.CallToolRequest;
import io.modelcontextprotocol.modern.McpSchema.CallToolResult;
import io.modelcontextprotocol.modern.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.modern.McpSchema.Content;
import io.modelcontextprotocol.modern.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.modern.McpSchema.ElicitResult;
import io.modelcontextprotocol.modern.McpSchema.Implementation;
import io.modelcontextprotocol.modern.McpSchema.InputRequiredResult;
import io.modelcontextprotocol.modern.McpSchema.TextContent;
import io.modelcontextprotocol.modern.McpSchema.Tool;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpMissingClientCapabilityException;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import io.modelcontextprotocol.modern.server.transport.StdioMcpTransport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The MCP Java SDK 2.2.0 as a 2026-07-28 peer of the gateway, on the SDK's stateless API
 * ({@code io.modelcontextprotocol.modern}). It runs in a JVM of its own with only the SDK 2.2.0 and
 * its dependencies on the classpath (target/java-sdk-2.2.0, see pom.xml), compiled and launched by
 * the test kit's JavaSdkModern for JavaSdkModernIT:
 * <ul>
 *   <li>{@code server}: a 2026-07-28 server over stdio with the tools {@code echo(text)} and
 *   {@code ask-name}, which asks for a name through an input-required result (basic/patterns/mrtr);</li>
 *   <li>{@code client URL ECHO_TOOL ELICIT_TOOL [no-elicitation]}: a 2026-07-28 client that discovers
 *   the endpoint, lists its tools, calls the echo tool and the elicitation tool (answering with the
 *   name {@code Ada} unless {@code no-elicitation}), and prints what it got as one JSON line.</li>
 * </ul>
 */
public final class ModernPeer {
  private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

  private ModernPeer() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && "server".equals(args[0])) {
      serve();
    } else if (args.length >= 4 && "client".equals(args[0])) {
      System.out.println(JSON.writeValueAsString(client(args[1], args[2], args[3],
          args.length < 5 || !"no-elicitation".equals(args[4]))));
      System.exit(0);
    } else {
      System.err.println("usage: ModernPeer server | client URL ECHO_TOOL ELICIT_TOOL [no-elicitation]");
      System.exit(2);
    }
  }

  private static void serve() throws InterruptedException {
    Tool echo = Tool.builder("echo", Map.of("type", "object",
        "properties", Map.of("text", Map.of("type", "string")), "required", List.of("text")))
        .description("Returns Echo: and the text.").build();
    Tool askName = Tool.builder("ask-name", Map.of("type", "object"))
        .description("Asks the client for a name (input required), then greets it.").build();
    Map<String, McpSyncTool> tools = new LinkedHashMap<>();
    tools.put("echo", McpSyncTool.of(echo, (ctx, req) ->
        McpSyncResponse.result(text("Echo: " + req.arguments().get("text")))));
    // declared up front: the SDK refuses a call without it (-32021) rather than ask what it cannot
    ClientCapabilities formElicitation = ClientCapabilities.builder()
        .elicitation(new ClientCapabilities.Elicitation(new ClientCapabilities.Elicitation.Form(), null)).build();
    tools.put("ask-name", McpSyncTool.of(askName, formElicitation, ModernPeer::askName));
    McpSyncToolRepository repository = new McpSyncToolRepository() {
      @Override
      public ToolsPage list(McpRequestContext ctx, String cursor) {
        return ToolsPage.of(tools.values().stream().map(McpSyncTool::definition).toList());
      }

      @Override
      public McpSyncTool find(McpRequestContext ctx, String name) {
        return tools.get(name);
      }
    };
    McpServer server = McpServer.builder()
        .serverInfo(Implementation.builder("java-sdk-2.2.0-peer", "2.2.0").build())
        .jsonMapper(JSON)
        .feature(ToolsFeature.ofSync(repository))
        .build();
    CountDownLatch done = new CountDownLatch(1);
    new StdioMcpTransport(server, JSON).start().doFinally(s -> done.countDown()).subscribe();
    done.await();
  }

  private static McpSyncResponse<CallToolOutcome> askName(McpRequestContext ctx, CallToolRequest req) {
    Map<String, Object> responses = req.inputResponses();
    if (responses != null && responses.get("name") instanceof Map<?, ?> answer
        && answer.get("content") instanceof Map<?, ?> content) {
      return McpSyncResponse.result(text("Hello, " + content.get("name")));
    }
    ElicitFormRequest ask = ElicitFormRequest.builder("What is your name?", Map.of("type", "object",
        "properties", Map.of("name", Map.of("type", "string")), "required", List.of("name"))).build();
    return McpSyncResponse.result(InputRequiredResult.builder().elicit("name", ask).build());
  }

  private static CallToolResult text(String text) {
    return CallToolResult.builder().addContent(TextContent.builder(text).build()).build();
  }

  private static Map<String, Object> client(String url, String echoTool, String elicitTool, boolean elicitation) {
    var builder = McpClient.sync(HttpClientMcpTransport.builder(url).build())
        .clientInfo(Implementation.builder("java-sdk-2.2.0-client", "2.2.0").build())
        .callTimeout(Duration.ofSeconds(30));
    int[] asked = {0};
    if (elicitation) {
      builder.formElicitation(request -> {
        asked[0]++;
        return ElicitResult.accept(Map.of("name", "Ada"));
      });
    }
    McpSyncClient client = builder.build();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("supportedVersions", client.discover().supportedVersions());
    out.put("tools", client.listTools().list().tools().stream().map(Tool::name).toList());
    out.put("echo", firstText(client.tool(echoTool).arguments(Map.of("text", "from Java 2.2.0")).call()));
    try {
      out.put("elicited", firstText(client.tool(elicitTool).arguments(Map.of()).call()));
    } catch (McpMissingClientCapabilityException e) {
      out.put("missingCode", e.error().code());
      out.put("requiredElicitation", e.requiredCapabilities().supportsElicitationForm());
    }
    out.put("asked", asked[0]);
    return out;
  }

  private static String firstText(CallToolResult result) {
    Content first = result.content().isEmpty() ? null : result.content().get(0);
    return first instanceof TextContent t ? t.text() : String.valueOf(result);
  }
}
