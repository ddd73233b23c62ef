package dev.junction.testkit;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * The MCP Java SDK 2.2.0 as a 2026-07-28 peer ({@code src/test/java-sdk-2.2/ModernPeer.java}, compiled
 * by {@link #prepare()}), in a child JVM whose classpath holds only that SDK and its dependencies, which
 * Maven copies to {@code target/java-sdk-2.2.0} before the integration tests. It lives apart from the tests' own
 * classpath because 2.2.0 pulls a reactor-core release candidate, which the SDK 2.1.0 that the
 * jar ships with does not (see pom.xml).
 */
public final class JavaSdkModern {
  /** The SDK 2.2.0 jars. */
  public static final Path JARS = Path.of("target", "java-sdk-2.2.0").toAbsolutePath();
  /** The peer, run as a source file. */
  public static final Path SOURCE = Path.of("src", "test", "java-sdk-2.2", "ModernPeer.java").toAbsolutePath();

  private JavaSdkModern() {
  }

  /** Where the peer is compiled to. */
  private static final Path CLASSES = Path.of("target", "java-sdk-2.2.0-peer").toAbsolutePath();

  /**
   * Compiles the peer against the jars, once, so that the child JVMs start without a compiler (a
   * gateway starting beside a child that compiles has its event loops starved of CPU); fails with
   * instructions when the jars are not there.
   */
  public static void prepare() {
    if (!Files.isRegularFile(JARS.resolve("mcp-core-2.2.0.jar"))) {
      throw new IllegalStateException("run `./mvnw dependency:copy@java-sdk-2.2.0` (verify does) to fill " + JARS);
    }
    try {
      Path compiled = CLASSES.resolve("ModernPeer.class");
      if (Files.isRegularFile(compiled)
          && Files.getLastModifiedTime(compiled).compareTo(Files.getLastModifiedTime(SOURCE)) > 0) {
        return;
      }
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int rc = ToolProvider.getSystemJavaCompiler().run(null, null, err, "-d", CLASSES.toString(),
          "-cp", jars(), "--release", "17", SOURCE.toString());
      if (rc != 0) {
        throw new IllegalStateException("ModernPeer does not compile:\n" + err.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The jars, one by one (javac takes no wildcard). */
  private static String jars() throws IOException {
    try (Stream<Path> files = Files.list(JARS)) {
      return files.map(Path::toString).filter(f -> f.endsWith(".jar")).sorted()
          .collect(Collectors.joining(File.pathSeparator));
    }
  }

  /** The command line of the 2026-07-28 stdio server. */
  public static List<String> serverCommand() {
    return command("server");
  }

  /**
   * Runs the 2026-07-28 client to completion against {@code url} and returns the JSON line it printed.
   *
   * @param url a 2026-07-28 MCP endpoint
   * @param echoTool the tool it calls with {@code {"text": "from Java 2.2.0"}}
   * @param elicitTool the tool it calls with no arguments, answering elicitation with the name {@code Ada}
   * @param elicitation false: the client declares no elicitation
   */
  public static JsonObject client(String url, String echoTool, String elicitTool, boolean elicitation) {
    List<String> command = command("client", url, echoTool, elicitTool);
    if (!elicitation) {
      command.add("no-elicitation");
    }
    try {
      Process p = new ProcessBuilder(command).start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      String out = readAll(p.getInputStream());
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the Java SDK 2.2.0 client did not finish");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("the Java SDK 2.2.0 client exited " + p.exitValue() + ":\n" + out + err.join());
      }
      String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(
          () -> new AssertionError("the Java SDK 2.2.0 client printed no JSON:\n" + out + "\n" + err.join()));
      return new JsonObject(last);
    } catch (IOException e) {
      throw new AssertionError("cannot run java", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<String> command(String... args) {
    // a small JVM: the C1 compiler only and the serial collector, to leave the CPU to the gateway
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
        "-cp", CLASSES + File.pathSeparator + JARS.resolve("*"), "ModernPeer"));
    command.addAll(List.of(args));
    return command;
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
