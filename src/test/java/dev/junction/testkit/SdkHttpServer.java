package dev.junction.testkit;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/**
 * Serves {@link SdkServerFeatures} over Streamable HTTP with the SDK's
 * {@link HttpServletStreamableServerTransportProvider} in an embedded Tomcat bound to
 * {@code 127.0.0.1} on a free port, at {@value #PATH}. Start with {@link #start(String)}, close
 * when done.
 */
public final class SdkHttpServer implements AutoCloseable {

  /** The MCP endpoint path. */
  public static final String PATH = "/mcp";

  private final SdkServerFeatures features;
  private final McpAsyncServer server;
  private final Tomcat tomcat;
  private final Path baseDir;
  private final int port;

  private SdkHttpServer(SdkServerFeatures features, McpAsyncServer server, Tomcat tomcat, Path baseDir,
      int port) {
    this.features = features;
    this.server = server;
    this.tomcat = tomcat;
    this.baseDir = baseDir;
    this.port = port;
  }

  /**
   * Starts a server called {@code name}.
   *
   * @param name the server name (see {@link SdkServerFeatures})
   * @return the running server
   */
  public static SdkHttpServer start(String name) {
    return start(name, 0);
  }

  /**
   * Starts a server called {@code name} on a given port (0 for a free one): a server started again
   * on the port of one that was closed is that server restarted, with none of its sessions.
   */
  public static SdkHttpServer start(String name, int port) {
    var features = SdkServerFeatures.named(name);
    // No session sweeper: the SDK runs it on a non-daemon scheduler that close() never disposes.
    var transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint(PATH).sessionSweepInterval(null).build();
    McpAsyncServer server = features.buildServer(McpServer.async(transport));
    Path baseDir = null;
    var tomcat = new Tomcat();
    try {
      baseDir = Files.createTempDirectory("sdk-http-" + name + "-");
      tomcat.setBaseDir(baseDir.toString());
      var connector = new Connector();
      connector.setPort(port);
      connector.setProperty("address", "127.0.0.1");
      // keep-alive connections are not closed after 100 requests (Tomcat's default): load tests reuse them
      connector.setProperty("maxKeepAliveRequests", "-1");
      tomcat.setConnector(connector);
      var context = (StandardContext) tomcat.addContext("", baseDir.toString());
      context.setClearReferencesThreadLocals(false);
      context.setClearReferencesRmiTargets(false);
      context.setUnloadDelay(100);
      var wrapper = Tomcat.addServlet(context, "mcp", transport);
      wrapper.setAsyncSupported(true);
      context.addServletMappingDecoded(PATH, "mcp");
      tomcat.start();
      return new SdkHttpServer(features, server, tomcat, baseDir, connector.getLocalPort());
    } catch (IOException | LifecycleException | RuntimeException e) {
      var failure = new IllegalStateException("cannot start the SDK HTTP server " + name, e);
      server.close();
      try {
        stop(tomcat);
        deleteTree(baseDir);
      } catch (RuntimeException cleanup) {
        failure.addSuppressed(cleanup);
      }
      throw failure;
    }
  }

  /** @return the endpoint URL, {@code http://127.0.0.1:<port>/mcp} */
  public String url() {
    return baseUrl() + PATH;
  }

  /** @return {@code http://127.0.0.1:<port>}, without the endpoint path */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** @return the bound port */
  public int port() {
    return port;
  }

  /** @return the server name */
  public String name() {
    return features.name();
  }

  /** @return the served features (URIs, expected texts) */
  public SdkServerFeatures features() {
    return features;
  }

  /** @return the SDK server, e.g. to send list-changed or resource-updated notifications */
  public McpAsyncServer server() {
    return server;
  }

  /**
   * Closes the MCP sessions, stops Tomcat (cutting requests still in flight after 100 ms, which
   * clients see as I/O errors) and deletes its temporary directory.
   */
  @Override
  public void close() {
    try {
      server.closeGracefully().block(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      server.close();
    }
    stop(tomcat);
    deleteTree(baseDir);
  }

  private static void stop(Tomcat tomcat) {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException("cannot stop Tomcat", e);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
