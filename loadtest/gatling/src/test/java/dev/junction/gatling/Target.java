package dev.junction.gatling;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a simulation loads: the bench module's {@code Harness} (the test kit's upstreams and the
 * gateway jar as its own process) started as a child of the Gatling JVM, so that Vert.x and its
 * Netty stay out of Gatling's class path. The harness lives as long as its stdin is open.
 */
final class Target implements AutoCloseable {
  /** The project root: target/junction.jar and loadtest/bench are found from there. */
  private static final Path ROOT = Path.of(System.getProperty("junction.root", "../..")).toAbsolutePath().normalize();

  private final int port;
  /** The ports of further nodes of a cluster (none for one gateway). */
  private final int[] clusterPorts;
  private Process process;
  private BufferedReader answers;
  private Writer commands;

  /** Chooses the gateway's port now, so a simulation can build its protocol before the start. */
  Target() {
    this(1);
  }

  /**
   * {@code nodes} gateway nodes in one cluster (1: a single gateway, as usual); their ports are
   * chosen now.
   */
  Target(int nodes) {
    port = freePort();
    clusterPorts = new int[nodes - 1];
    for (int i = 0; i < clusterPorts.length; i++) {
      clusterPorts[i] = freePort();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}: loopback only. */
  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The base URL of node {@code i} of a cluster (node 0 is {@link #baseUrl()}). */
  String baseUrl(int i) {
    return i == 0 ? baseUrl() : "http://127.0.0.1:" + clusterPorts[i - 1];
  }

  /**
   * Starts the upstreams and the gateway and waits until the gateway is ready.
   *
   * @param upstreams the {@code upstreams:} entries as JSON, each given by its kind, e.g.
   *     {@code "a": "stub", "b": "sdk"}
   * @param extra more top-level config keys as JSON members (may be empty), e.g.
   *     {@code "pool": {"idleTimeout": "5s"}}
   */
  void start(String upstreams, String extra) {
    String config = "{\"listen\": {\"host\": \"127.0.0.1\", \"port\": " + port + "},"
        + " \"auth\": {\"unauthenticated\": \"allow\"}, \"upstreams\": {" + upstreams + "}"
        + (clusterPorts.length == 0 ? "" : ", \"clusterPorts\": " + Arrays.toString(clusterPorts))
        + (extra.isEmpty() ? "" : ", " + extra) + "}";
    Path bench = ROOT.resolve("loadtest/bench/target");
    try {
      if (!Files.exists(bench.resolve("classpath.txt")) || !Files.exists(ROOT.resolve("target/junction.jar"))) {
        throw new IllegalStateException("build first: ./mvnw -q install -DskipTests, then run through loadtest/pom.xml");
      }
      String classPath = bench.resolve("classes") + java.io.File.pathSeparator
          + Files.readString(bench.resolve("classpath.txt")).strip();
      Path log = ROOT.resolve("loadtest/gatling/target/harness.log");
      Files.createDirectories(log.getParent());
      process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx1g", "-cp", classPath, "dev.junction.bench.Harness", config))
          .directory(ROOT.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      await("READY");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends a harness command ({@code stop <upstream>}, {@code fail <upstream>}, {@code kill <node>})
   * and waits until it is done.
   */
  synchronized void command(String command) {
    try {
      commands.write(command + "\n");
      commands.flush();
      await("DONE " + command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void await(String answer) throws IOException {
    for (String line = answers.readLine(); line != null; line = answers.readLine()) {
      if (line.startsWith("HARNESS " + answer)) {
        return;
      }
    }
    throw new IllegalStateException("the harness ended before " + answer + "; see loadtest/gatling/target/harness.log");
  }

  /** Ends the harness: closing its stdin stops the gateway and the upstreams. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    try {
      commands.close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
