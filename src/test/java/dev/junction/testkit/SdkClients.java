package dev.junction.testkit;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.Root;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds initialized MCP Java SDK clients ({@link McpSyncClient}) for tests: against a Streamable
 * HTTP URL ({@link HttpClientStreamableHttpTransport}) or a stdio command ({@link
 * StdioClientTransport}), configured through {@link Options}. Close the returned client when done
 * (for stdio that also ends the child process).
 */
public final class SdkClients {

  /** The text the default sampling handler answers. */
  public static final String SAMPLED_TEXT = "sampled by the junction test client";

  /** The content the default elicitation handler accepts with. */
  public static final Map<String, Object> ELICITED = Map.of("name", "junction");

  private static final Logger LOG = LoggerFactory.getLogger(SdkClients.class);

  private SdkClients() {
  }

  /** @return fresh options: 10 s timeouts, no sampling/elicitation/roots, SDK default versions */
  public static Options options() {
    return new Options();
  }

  /**
   * @param url the Streamable HTTP endpoint, e.g. {@code http://127.0.0.1:8080/mcp}
   * @return an initialized client with default {@link #options()}
   */
  public static McpSyncClient http(String url) {
    return http(url, options());
  }

  /**
   * @param url the Streamable HTTP endpoint, e.g. {@code http://127.0.0.1:8080/mcp}
   * @param options client options
   * @return a client, initialized unless {@link Options#initialize(boolean)} said otherwise
   */
  public static McpSyncClient http(String url, Options options) {
    URI uri = URI.create(url);
    String endpoint = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    var request = HttpRequest.newBuilder();
    options.headers.forEach(request::header);
    var builder = HttpClientStreamableHttpTransport.builder(uri.getScheme() + "://" + uri.getRawAuthority())
        .endpoint(endpoint).requestBuilder(request).jsonMapper(McpJsonDefaults.getMapper())
        .connectTimeout(options.requestTimeout);
    if (options.protocolVersions != null) {
      builder.supportedProtocolVersions(options.protocolVersions);
    }
    return connect(builder.build(), options);
  }

  /**
   * @param command the server command line, e.g. {@link SdkStdioServer#command(String)}
   * @return an initialized client with default {@link #options()}
   */
  public static McpSyncClient stdio(List<String> command) {
    return stdio(command, options());
  }

  /**
   * @param command the server command line, e.g. {@link SdkStdioServer#command(String)}
   * @param options client options ({@link Options#header} does not apply)
   * @return a client, initialized unless {@link Options#initialize(boolean)} said otherwise
   */
  public static McpSyncClient stdio(List<String> command, Options options) {
    var params = ServerParameters.builder(command.get(0)).args(command.subList(1, command.size())).build();
    List<String> versions = options.protocolVersions;
    var transport = new StdioClientTransport(params, McpJsonDefaults.getMapper()) {
      @Override
      public List<String> protocolVersions() {
        return versions != null ? versions : super.protocolVersions();
      }
    };
    String label = command.get(command.size() - 1);
    transport.setStdErrorHandler(line -> LOG.debug("[{} stderr] {}", label, line));
    return connect(transport, options);
  }

  private static McpSyncClient connect(McpClientTransport transport, Options o) {
    var capabilities = ClientCapabilities.builder();
    var spec = McpClient.sync(transport).requestTimeout(o.requestTimeout)
        .initializationTimeout(o.requestTimeout).clientInfo(new Implementation(o.clientName, "1.0.0"))
        .progressConsumers(List.copyOf(o.progress)).loggingConsumers(List.copyOf(o.logging));
    if (o.samplingText != null) {
      capabilities.sampling();
      String text = o.samplingText;
      spec.sampling(request -> CreateMessageResult.builder().role(Role.ASSISTANT)
          .content(new TextContent(text)).model("junction-test-model")
          .stopReason(CreateMessageResult.StopReason.END_TURN).build());
    }
    if (o.elicitation != null) {
      capabilities.elicitation();
      spec.elicitation(o.elicitation);
    }
    if (o.roots != null) {
      capabilities.roots(true);
      spec.roots(o.roots);
    }
    spec.capabilities(capabilities.build());
    o.customizers.forEach(c -> c.accept(spec));
    McpSyncClient client = spec.build();
    if (o.initialize) {
      try {
        client.initialize();
      } catch (RuntimeException e) {
        client.close();
        throw e;
      }
    }
    return client;
  }

  /** Mutable client options; every setter returns {@code this}. */
  public static final class Options {

    private Duration requestTimeout = Duration.ofSeconds(10);
    private String clientName = "junction-testkit";
    private String samplingText;
    private Function<ElicitFormRequest, ElicitResult> elicitation;
    private List<Root> roots;
    private List<String> protocolVersions;
    private boolean initialize = true;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<Consumer<ProgressNotification>> progress = new ArrayList<>();
    private final List<Consumer<LoggingMessageNotification>> logging = new ArrayList<>();
    private final List<Consumer<McpClient.SyncSpec>> customizers = new ArrayList<>();

    private Options() {
    }

    /**
     * @param timeout the request, initialization and HTTP connect timeout (default 10 s)
     * @return this
     */
    public Options requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * @param name the client name announced in {@code initialize}
     * @return this
     */
    public Options clientName(String name) {
      this.clientName = name;
      return this;
    }

    /**
     * Declares sampling and answers every request with {@link #SAMPLED_TEXT}.
     *
     * @return this
     */
    public Options sampling() {
      return sampling(SAMPLED_TEXT);
    }

    /**
     * Declares sampling and answers every request with {@code text}.
     *
     * @param text the assistant text of every sampling result
     * @return this
     */
    public Options sampling(String text) {
      this.samplingText = text;
      return this;
    }

    /**
     * Declares (form) elicitation and accepts every request with {@link #ELICITED}.
     *
     * @return this
     */
    public Options elicitation() {
      return elicitation(request -> new ElicitResult(ElicitResult.Action.ACCEPT, ELICITED));
    }

    /**
     * Declares (form) elicitation, answered by {@code handler}.
     *
     * @param handler answers elicitation requests
     * @return this
     */
    public Options elicitation(Function<ElicitFormRequest, ElicitResult> handler) {
      this.elicitation = handler;
      return this;
    }

    /**
     * Declares roots and serves these URIs, each named after itself. The SDK client keeps roots
     * in a hash map, so {@code roots/list} does not preserve this order.
     *
     * @param uris root URIs, e.g. {@code file:///tmp/x}
     * @return this
     */
    public Options roots(String... uris) {
      this.roots = new ArrayList<>();
      for (String uri : uris) {
        this.roots.add(new Root(uri, uri));
      }
      return this;
    }

    /**
     * Declares sampling, elicitation and the roots {@code file:///tmp/junction-a} and
     * {@code file:///tmp/junction-b}, with the default handlers.
     *
     * @return this
     */
    public Options allCapabilities() {
      return sampling().elicitation().roots("file:///tmp/junction-a", "file:///tmp/junction-b");
    }

    /**
     * The protocol versions the client supports. The SDK client offers the <em>last</em> one in
     * {@code initialize} and fails the handshake if the server answers one not in the list. Over
     * HTTP, requests sent before the handshake completes carry the lexically greatest one in
     * {@code MCP-Protocol-Version}. Default: the SDK's list, 2025-03-26, 2025-06-18 and
     * 2025-11-25 over HTTP, plus 2024-11-05 over stdio (so 2025-11-25 is offered).
     *
     * @param versions e.g. {@code "2025-03-26"} alone to offer (and accept) only that one
     * @return this
     */
    public Options protocolVersions(String... versions) {
      this.protocolVersions = List.of(versions);
      return this;
    }

    /**
     * Adds an HTTP header to every request (HTTP only), e.g. {@code Authorization}.
     *
     * @param name the header name
     * @param value the header value
     * @return this
     */
    public Options header(String name, String value) {
      this.headers.put(name, value);
      return this;
    }

    /**
     * @param consumer receives every progress notification (asynchronously: the last one may
     *     arrive after the call's result)
     * @return this
     */
    public Options onProgress(Consumer<ProgressNotification> consumer) {
      this.progress.add(consumer);
      return this;
    }

    /**
     * @param consumer receives every log message notification (asynchronously)
     * @return this
     */
    public Options onLogging(Consumer<LoggingMessageNotification> consumer) {
      this.logging.add(consumer);
      return this;
    }

    /**
     * @param customizer applied to the SDK client builder last, e.g. to add a
     *     {@code toolsChangeConsumer}
     * @return this
     */
    public Options customize(Consumer<McpClient.SyncSpec> customizer) {
      this.customizers.add(customizer);
      return this;
    }

    /**
     * @param initialize whether to run the handshake before returning the client (default true)
     * @return this
     */
    public Options initialize(boolean initialize) {
      this.initialize = initialize;
      return this;
    }
  }
}
