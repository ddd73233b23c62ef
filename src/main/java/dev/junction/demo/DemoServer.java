package dev.junction.demo;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * A small, self-contained MCP server over stdio, shipped in the gateway jar so that the default
 * configuration has an upstream to talk to:
 * {@code java -cp target/junction.jar dev.junction.demo.DemoServer}.
 *
 * <p>Server name {@value #NAME}. Tools: {@code echo}, {@code add}, {@code now}, {@code uuid} and
 * {@code count} (which reports progress when the request carries a progress token). One prompt,
 * {@code summarize}, and one static resource, {@value #ABOUT_URI}. Logging is enabled.
 *
 * <p>Standard output is the protocol channel: {@link #main} hands the real stdout to the SDK
 * transport and points {@code System.out} at stderr, so no stray print or console log appender
 * can corrupt the JSON-RPC stream. The process ends when its stdin closes.
 */
public final class DemoServer {

  /** The server name announced in {@code initialize}. */
  public static final String NAME = "junction-demo";

  /** The server version announced in {@code initialize}. */
  public static final String VERSION = "0.1.0";

  /** The URI of the one static resource. */
  public static final String ABOUT_URI = "demo://about";

  /** The largest {@code n} the {@code count} tool accepts. */
  public static final int MAX_COUNT = 20;

  private static final long STEP_MILLIS = 50;

  private static final String ABOUT_TEXT = """
      junction-demo is a tiny MCP server bundled with the Junction gateway.
      It exists so a fresh gateway has something to route to. Try:
        echo  - returns the text you send
        add   - adds two numbers
        now   - the current UTC time (ISO-8601)
        uuid  - a random UUID
        count - counts to n (at most 20), with progress notifications
      The prompt 'summarize' asks a model to summarize a text.
      """;

  private DemoServer() {
  }

  /**
   * Serves the demo over stdio until stdin closes.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    var protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
    System.setOut(System.err);
    create(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), System.in, protocolOut));
  }

  /**
   * Builds and starts the demo server on a single-session transport.
   *
   * @param transport the transport, e.g. a {@link StdioServerTransportProvider}
   * @return the running server; close it to stop
   */
  public static McpSyncServer create(McpServerTransportProvider transport) {
    return McpServer.sync(transport)
        .serverInfo(NAME, VERSION)
        .instructions("Demo server bundled with Junction: echo, add, now, uuid and count tools.")
        .capabilities(ServerCapabilities.builder()
            .tools(false).prompts(false).resources(false, false).logging().build())
        .tools(echo(), add(), now(), uuid(), count())
        .prompts(summarize())
        .resources(about())
        .build();
  }

  private static SyncToolSpecification echo() {
    var schema = object(Map.of("text", Map.of("type", "string", "description", "Text to echo")),
        "text");
    return tool("echo", "Echo", "Returns the given text unchanged.", schema,
        (exchange, request) -> text(String.valueOf(request.arguments().get("text"))));
  }

  private static SyncToolSpecification add() {
    var schema = object(Map.of(
        "a", Map.of("type", "number", "description", "First addend"),
        "b", Map.of("type", "number", "description", "Second addend")), "a", "b");
    return tool("add", "Add", "Adds two numbers and returns the exact decimal sum.", schema,
        (exchange, request) -> {
          var sum = decimal(request, "a").add(decimal(request, "b"));
          return text(sum.stripTrailingZeros().toPlainString());
        });
  }

  private static SyncToolSpecification now() {
    return tool("now", "Current time", "Returns the current UTC time in ISO-8601 form.", object(Map.of()),
        (exchange, request) -> text(Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()));
  }

  private static SyncToolSpecification uuid() {
    return tool("uuid", "Random UUID", "Returns a random (version 4) UUID.", object(Map.of()),
        (exchange, request) -> text(UUID.randomUUID().toString()));
  }

  private static SyncToolSpecification count() {
    var schema = object(Map.of("n", Map.of("type", "integer", "minimum", 1, "maximum", MAX_COUNT,
        "description", "How far to count (1 to " + MAX_COUNT + ")")), "n");
    return tool("count", "Count", "Counts from 1 to n, about 50 ms per step, sending a progress "
        + "notification per step when the request carries a progress token.", schema, DemoServer::countTo);
  }

  private static CallToolResult countTo(McpSyncServerExchange exchange, CallToolRequest request) {
    int n = decimal(request, "n").intValue();
    if (n < 1 || n > MAX_COUNT) {
      return CallToolResult.builder().addTextContent("n must be between 1 and " + MAX_COUNT)
          .isError(true).build();
    }
    Object token = request.progressToken();
    var counted = new StringJoiner(" ");
    for (int i = 1; i <= n; i++) {
      try {
        // This demo is its own process on the SDK's blocking server API: the handler runs on an
        // SDK worker thread, never on a Vert.x event loop, so pacing it with a sleep is harmless.
        Thread.sleep(STEP_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CallToolResult.builder().addTextContent("interrupted").isError(true).build();
      }
      counted.add(Integer.toString(i));
      if (token != null) {
        exchange.progressNotification(ProgressNotification.builder(token, i)
            .total((double) n).message("counted " + i).build());
      }
    }
    exchange.loggingNotification(LoggingMessageNotification.builder()
        .level(LoggingLevel.INFO).logger(NAME).data("counted to " + n).build());
    return text(counted.toString());
  }

  private static SyncPromptSpecification summarize() {
    var prompt = new Prompt("summarize", "Summarize", "Asks the model to summarize a text.",
        List.of(new PromptArgument("text", "Text", "The text to summarize", true)));
    return new SyncPromptSpecification(prompt, (exchange, request) -> {
      Object text = request.arguments() == null ? null : request.arguments().get("text");
      var message = "Summarize the following text in two or three sentences:\n\n"
          + (text == null ? "" : text);
      return new GetPromptResult("Summarize a text",
          List.of(new PromptMessage(Role.USER, new TextContent(message))));
    });
  }

  private static SyncResourceSpecification about() {
    var resource = Resource.builder().uri(ABOUT_URI).name("about").title("About junction-demo")
        .description("What this demo server is and what it offers").mimeType("text/plain").build();
    return new SyncResourceSpecification(resource, (exchange, request) -> new ReadResourceResult(
        List.of(new TextResourceContents(ABOUT_URI, "text/plain", ABOUT_TEXT))));
  }

  private static SyncToolSpecification tool(String name, String title, String description,
      Map<String, Object> inputSchema,
      BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
    var annotations = ToolAnnotations.builder().title(title).readOnlyHint(true)
        .destructiveHint(false).openWorldHint(false)
        .idempotentHint(name.equals("echo") || name.equals("add")).build();
    var tool = Tool.builder().name(name).title(title).description(description)
        .inputSchema(inputSchema).annotations(annotations).build();
    return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
      try {
        return handler.apply(exchange, request);
      } catch (IllegalArgumentException e) {
        return CallToolResult.builder().addTextContent(e.getMessage()).isError(true).build();
      }
    }).build();
  }

  private static Map<String, Object> object(Map<String, Object> properties, String... required) {
    return Map.of("type", "object", "properties", properties, "required", List.of(required),
        "additionalProperties", false);
  }

  private static BigDecimal decimal(CallToolRequest request, String name) {
    Object value = request.arguments() == null ? null : request.arguments().get(name);
    if (value instanceof Number number) {
      return new BigDecimal(number.toString());
    }
    throw new IllegalArgumentException("argument '" + name + "' must be a number");
  }

  private static CallToolResult text(String text) {
    return CallToolResult.builder().addTextContent(text).isError(false).build();
  }
}
