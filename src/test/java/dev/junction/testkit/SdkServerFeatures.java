package dev.junction.testkit;

import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult.CompleteCompletion;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceReference;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.Root;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The feature set of the test upstream servers, parameterised by a server name so that tests can
 * tell two upstreams apart (the {@code whoami} tool, the resource URIs and the instructions all
 * carry the name). Served over stdio by {@link SdkStdioServer} and over Streamable HTTP by
 * {@link SdkHttpServer}; everything is non-blocking, so no handler parks a thread.
 *
 * <p>Tools: {@code echo(text)}, {@code add(a, b)}, {@code whoami}, {@code progress(steps, ms?)},
 * {@code sample(prompt?)}, {@code elicit(message?, steps?, ms?)}, {@code roots}, {@code slow(ms)},
 * {@code log(text)} and {@code fail(message?)}. Prompt {@code greet(name)} with completions for
 * {@code name}. Resource {@code test://<name>/hello} and template {@code test://<name>/items/{id}}
 * (with completions for {@code id}).
 */
public final class SdkServerFeatures {

  /** Candidates of the {@code greet} prompt's {@code name} argument completion. */
  public static final List<String> GREET_NAMES = List.of("alice", "alan", "bob", "carol");

  /** Candidates of the item template's {@code id} completion. */
  public static final List<String> ITEM_IDS = List.of("1", "2", "3", "42");

  /** The longest wait {@code slow} accepts, so a forgotten call cannot hang a build. */
  public static final long MAX_SLOW_MILLIS = 120_000;

  private final String name;

  private SdkServerFeatures(String name) {
    if (name == null || name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("server name must be non-blank without '/': " + name);
    }
    this.name = name;
  }

  /**
   * The features of a server called {@code name}.
   *
   * @param name the server name (announced in serverInfo, returned by {@code whoami})
   * @return the features
   */
  public static SdkServerFeatures named(String name) {
    return new SdkServerFeatures(name);
  }

  /** @return the server name */
  public String name() {
    return name;
  }

  /** @return the instructions announced in {@code initialize}: {@code "Test server <name>"} */
  public String instructions() {
    return "Test server " + name;
  }

  /** @return the URI of the static text resource, {@code test://<name>/hello} */
  public String helloUri() {
    return "test://" + name + "/hello";
  }

  /** @return the text of the hello resource, {@code "hello from <name>"} */
  public String helloText() {
    return "hello from " + name;
  }

  /** @return the URI template of the item resources, {@code test://<name>/items/{id}} */
  public String itemTemplate() {
    return "test://" + name + "/items/{id}";
  }

  /**
   * @param id an item id
   * @return the text served for {@code test://<name>/items/<id>}
   */
  public String itemText(String id) {
    return "item " + id + " from " + name;
  }

  /** @return tools, prompts, resources (with subscribe), logging and completions */
  public ServerCapabilities capabilities() {
    return ServerCapabilities.builder().tools(true).prompts(true).resources(true, true).logging()
        .completions().build();
  }

  /**
   * Registers everything on an SDK server builder and builds the server.
   *
   * @param spec {@code McpServer.async(transportProvider)} for any transport
   * @return the built, running server
   */
  public McpAsyncServer buildServer(McpServer.AsyncSpecification<?> spec) {
    return spec.serverInfo(name, "1.0.0").instructions(instructions()).capabilities(capabilities())
        .tools(tools()).prompts(prompts()).resources(resources()).resourceTemplates(resourceTemplates())
        .completions(completions()).build();
  }

  /** @return the tool specifications */
  public List<AsyncToolSpecification> tools() {
    return List.of(
        tool("echo", "Returns the text argument.", props("text", "string"), List.of("text"),
            (ex, req) -> text(String.valueOf(arg(req, "text")))),
        tool("add", "Adds a and b.", props("a", "number", "b", "number"), List.of("a", "b"),
            (ex, req) -> text(number(req, "a").add(number(req, "b")).stripTrailingZeros().toPlainString())),
        tool("whoami", "Returns this server's name.", Map.of(), List.of(), (ex, req) -> text(name)),
        tool("progress", "Sends `steps` progress notifications (optionally `ms` apart), then returns done.",
            props("steps", "integer", "ms", "integer"), List.of("steps"), this::progress),
        tool("sample", "Asks the client to sample a message and returns the client's text.",
            props("prompt", "string"), List.of(), this::sample),
        tool("elicit", "Asks the client for a name, then sends `steps` progress notifications (none by default;"
            + " optionally `ms` apart); returns 'hello <name>' or the action taken.",
            props("message", "string", "steps", "integer", "ms", "integer"), List.of(), this::elicit),
        tool("roots", "Lists the client's roots; returns their URIs, sorted, joined by ','.",
            Map.of(), List.of(),
            (ex, req) -> ex.listRoots().map(r -> result(
                r.roots().stream().map(Root::uri).sorted().collect(Collectors.joining(","))))),
        tool("slow", "Waits `ms` milliseconds without holding a thread, then returns 'slow done'.",
            props("ms", "integer"), List.of("ms"), SdkServerFeatures::slow),
        tool("log", "Sends an info-level log notification with `text`, then returns 'logged'.",
            props("text", "string"), List.of("text"),
            (ex, req) -> ex.loggingNotification(LoggingMessageNotification.builder().level(LoggingLevel.INFO)
                .logger(name).data(String.valueOf(arg(req, "text"))).build()).thenReturn(result("logged"))),
        tool("meta", "Returns the request's _meta as JSON (what the gateway passed on).", Map.of(), List.of(),
            (ex, req) -> text(new io.vertx.core.json.JsonObject(req.meta() == null ? Map.of() : req.meta()).encode())),
        tool("fail", "Returns a tool result with isError=true.", props("message", "string"), List.of(),
            (ex, req) -> Mono.just(CallToolResult.builder().isError(true)
                .addTextContent(String.valueOf(req.arguments().getOrDefault("message", "failure requested")))
                .build())));
  }

  /** @return the {@code greet} prompt */
  public List<AsyncPromptSpecification> prompts() {
    var prompt = new Prompt("greet", "Greet", "Greets someone by name.",
        List.of(new PromptArgument("name", "Name", "Who to greet", true)));
    return List.of(new AsyncPromptSpecification(prompt, (ex, req) -> {
      Object who = req.arguments() == null ? null : req.arguments().get("name");
      return Mono.just(new GetPromptResult("Greeting from " + name, List.of(
          new PromptMessage(Role.USER, new TextContent("Please greet " + who + " on behalf of " + name)))));
    }));
  }

  /** @return the static {@code hello} resource */
  public List<AsyncResourceSpecification> resources() {
    var resource = Resource.builder().uri(helloUri()).name("hello").title("Hello")
        .description("A greeting from " + name).mimeType("text/plain").build();
    return List.of(new AsyncResourceSpecification(resource, (ex, req) -> Mono.just(
        new ReadResourceResult(List.of(new TextResourceContents(helloUri(), "text/plain", helloText()))))));
  }

  /** @return the {@code items/{id}} resource template */
  public List<AsyncResourceTemplateSpecification> resourceTemplates() {
    var template = ResourceTemplate.builder().uriTemplate(itemTemplate()).name("item").title("Item")
        .description("An item of " + name).mimeType("text/plain").build();
    String prefix = "test://" + name + "/items/";
    return List.of(new AsyncResourceTemplateSpecification(template, (ex, req) -> {
      String id = req.uri().startsWith(prefix) ? req.uri().substring(prefix.length()) : req.uri();
      return Mono.just(new ReadResourceResult(List.of(new TextResourceContents(req.uri(), "text/plain",
          itemText(id)))));
    }));
  }

  /** @return completions for {@code greet.name} and the item template's {@code id} */
  public List<AsyncCompletionSpecification> completions() {
    return List.of(
        new AsyncCompletionSpecification(new PromptReference("greet"),
            (ex, req) -> Mono.just(complete(GREET_NAMES, req.argument().value()))),
        new AsyncCompletionSpecification(new ResourceReference(itemTemplate()),
            (ex, req) -> Mono.just(complete(ITEM_IDS, req.argument().value()))));
  }

  private Mono<CallToolResult> progress(McpAsyncServerExchange ex, CallToolRequest req) {
    int steps = number(req, "steps").intValue();
    long ms = req.arguments().containsKey("ms") ? number(req, "ms").longValue() : 0;
    Object token = req.progressToken();
    if (token == null || steps <= 0) {
      return text("done");
    }
    return Flux.range(1, steps)
        .concatMap(i -> Mono.delay(Duration.ofMillis(i == 1 ? 0 : ms))
            .then(ex.progressNotification(ProgressNotification.builder(token, i).total((double) steps)
                .message("step " + i + " of " + steps).build())))
        .then(text("done"));
  }

  private static Mono<CallToolResult> slow(McpAsyncServerExchange ex, CallToolRequest req) {
    long ms = Math.min(MAX_SLOW_MILLIS, Math.max(0, number(req, "ms").longValue()));
    return Mono.delay(Duration.ofMillis(ms)).thenReturn(result("slow done"));
  }

  private Mono<CallToolResult> sample(McpAsyncServerExchange ex, CallToolRequest req) {
    Object prompt = req.arguments().getOrDefault("prompt", "Say something, " + name + " asks.");
    var request = CreateMessageRequest.builder()
        .messages(List.of(new SamplingMessage(Role.USER, new TextContent(String.valueOf(prompt)))))
        .maxTokens(100).build();
    return ex.createMessage(request).map(answer -> result(answer.content() instanceof TextContent t
        ? t.text() : String.valueOf(answer.content())));
  }

  private Mono<CallToolResult> elicit(McpAsyncServerExchange ex, CallToolRequest req) {
    Map<String, Object> schema = Map.of("type", "object",
        "properties", Map.of("name", Map.of("type", "string", "description", "Your name")),
        "required", List.of("name"));
    Object message = req.arguments().getOrDefault("message", "What is your name?");
    int steps = req.arguments().containsKey("steps") ? number(req, "steps").intValue() : 0;
    long ms = req.arguments().containsKey("ms") ? number(req, "ms").longValue() : 0;
    Object token = req.progressToken();
    return ex.createElicitation(ElicitFormRequest.builder(String.valueOf(message), schema).build())
        .flatMap(answer -> token == null ? Mono.just(answer) : Flux.range(1, steps)
            .concatMap(i -> Mono.delay(Duration.ofMillis(i == 1 ? 0 : ms))
                .then(ex.progressNotification(ProgressNotification.builder(token, i).total((double) steps)
                    .message("after the answer, step " + i).build())))
            .then(Mono.just(answer)))
        .map(answer -> result(answer.action() == ElicitResult.Action.ACCEPT && answer.content() != null
            ? "hello " + answer.content().get("name")
            : answer.action().name().toLowerCase(Locale.ROOT)));
  }

  private static CompleteResult complete(List<String> candidates, String prefix) {
    String p = prefix == null ? "" : prefix;
    var values = candidates.stream().filter(c -> c.startsWith(p)).toList();
    return new CompleteResult(new CompleteCompletion(values, values.size(), false));
  }

  private static AsyncToolSpecification tool(String name, String description, Map<String, Object> properties,
      List<String> required,
      BiFunction<McpAsyncServerExchange, CallToolRequest, Mono<CallToolResult>> handler) {
    Map<String, Object> schema = Map.of("type", "object", "properties", properties, "required", required);
    var annotations = ToolAnnotations.builder().readOnlyHint(!name.equals("log")).openWorldHint(false)
        .build();
    var tool = Tool.builder().name(name).description(description).inputSchema(schema).annotations(annotations)
        .build();
    return AsyncToolSpecification.builder().tool(tool).callHandler((ex, req) -> {
      var safe = req.arguments() == null ? new CallToolRequest(req.name(), Map.of(), req.meta()) : req;
      return Mono.defer(() -> handler.apply(ex, safe)).onErrorResume(IllegalArgumentException.class,
          e -> Mono.just(CallToolResult.builder().isError(true).addTextContent(e.getMessage()).build()));
    }).build();
  }

  private static Map<String, Object> props(String... nameTypePairs) {
    var props = new LinkedHashMap<String, Object>();
    for (int i = 0; i < nameTypePairs.length; i += 2) {
      props.put(nameTypePairs[i], Map.of("type", nameTypePairs[i + 1]));
    }
    return props;
  }

  private static Object arg(CallToolRequest req, String key) {
    return req.arguments().get(key);
  }

  private static BigDecimal number(CallToolRequest req, String key) {
    if (arg(req, key) instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    throw new IllegalArgumentException("argument '" + key + "' must be a number");
  }

  private static Mono<CallToolResult> text(String text) {
    return Mono.just(result(text));
  }

  private static CallToolResult result(String text) {
    return CallToolResult.builder().addTextContent(text).isError(false).build();
  }
}
