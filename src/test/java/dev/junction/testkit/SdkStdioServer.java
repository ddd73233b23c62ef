package dev.junction.testkit;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Serves {@link SdkServerFeatures} over stdio with the SDK's {@link StdioServerTransportProvider}.
 * Tests start it as a child JVM with {@link #command(String)}; it exits when its stdin closes.
 *
 * <p>stdout is the protocol channel: {@link #main} gives the SDK transport the real stdout and
 * points {@code System.out} at stderr, so console logging (e.g. logback's default console
 * appender, which writes to {@code System.out}) lands on stderr instead of corrupting the stream.
 */
public final class SdkStdioServer {

  private SdkStdioServer() {
  }

  /**
   * Runs the server.
   *
   * @param args {@code args[0]} is the server name (default {@code "stdio"})
   */
  public static void main(String[] args) {
    var protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
    System.setOut(System.err);
    String name = args.length > 0 ? args[0] : "stdio";
    var transport = new StdioServerTransportProvider(McpJsonDefaults.getMapper(), System.in, protocolOut);
    SdkServerFeatures.named(name).buildServer(McpServer.async(transport));
    // one line on stderr, so tests can see the gateway log it under the upstream's name
    org.slf4j.LoggerFactory.getLogger(SdkStdioServer.class).info("stdio server {} ready", name);
  }

  /**
   * The command line that starts this server as a child of the current JVM, with the current
   * class path: {@code <java> -cp <class path> dev.junction.testkit.SdkStdioServer <name>}.
   *
   * @param name the server name
   * @return the command and its arguments
   */
  public static List<String> command(String name) {
    return List.of(javaExecutable(), "-cp", System.getProperty("java.class.path"),
        SdkStdioServer.class.getName(), name);
  }

  /** @return the {@code java} launcher of the running JVM */
  public static String javaExecutable() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(java)) {
      return java.toString();
    }
    return ProcessHandle.current().info().command().orElse("java");
  }
}
