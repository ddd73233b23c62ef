package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.FreePort;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.SdkClients;
import dev.junction.testkit.SdkStdioServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, as a user runs it: {@code java -jar target/junction.jar --config FILE}. */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherIT {
  private static final Path JAR = Path.of("target", "junction.jar");

  private static ProcessBuilder gateway(String config) {
    return new ProcessBuilder(SdkStdioServer.javaExecutable(), "-jar", JAR.toString(), "--config", config);
  }

  @Test
  void anInvalidConfigExitsWith2AndListsEveryProblem(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        listen: {port: -1}
        upstreams:
          web: {transport: streamable-http}
          bad_name: {transport: stdio, command: [x]}
        """);
    Process p = gateway(bad.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("listen.port: must be 0..65535, got -1")
        .contains("upstreams.web.url: is required")
        .contains("upstreams.bad_name: the name must match [a-z0-9-]+");
  }

  /** Runs the jar with these arguments to its end; returns its exit status and what it printed on stdout and stderr. */
  private static Run run(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(SdkStdioServer.javaExecutable(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
    var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err.get(30, TimeUnit.SECONDS));
  }

  private record Run(int status, String out, String err) {
  }

  @Test
  void helpPrintsUsageAndExits0() throws Exception {
    Run r = run("--help");
    assertThat(r.status()).isZero();
    assertThat(r.out()).startsWith("Usage: java -jar junction.jar")
        .contains("--validate", "--version", "--config FILE");
    assertThat(r.err()).isEmpty();
    assertThat(run("--unknown").status()).isEqualTo(2);
  }

  @Test
  void versionPrintsTheProjectVersion() throws Exception {
    Run r = run("--version");
    assertThat(r.status()).isZero();
    assertThat(r.out().strip()).matches("junction \\d+\\.\\d+\\.\\d+.*").doesNotContain("unknown", "${");
  }

  @Test
  void validateChecksAConfigWithoutStartingAnything(@TempDir Path dir) throws Exception {
    Run good = run("--validate", "--config", "conf/junction.yaml");
    assertThat(good.status()).isZero();
    assertThat(good.out()).contains("conf/junction.yaml: valid (1 upstream(s))");
    assertThat(good.err()).doesNotContain("listening", "starting");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "listen: {port: -1}\nauth: {unauthenticated: allow}\n");
    Run r = run("--config", bad.toString(), "--validate");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("listen.port: must be 0..65535, got -1");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unauthenticatedOnAllAddressesRefusesToStart(@TempDir Path dir) throws Exception {
    Path open = dir.resolve("open.yaml");
    Files.writeString(open, "listen: {host: 0.0.0.0, port: 0}\nauth: {unauthenticated: allow}\n");
    Run r = run("--config", open.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("auth.unauthenticated: allow on listen.host 0.0.0.0, which is not a loopback address")
        .contains("auth.allowRemoteUnauthenticated: true").doesNotContain("listening");
  }

  @Test
  void jsonLogsAreAnOption(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "listen: {port: -1}\n");
    Process p = new ProcessBuilder(SdkStdioServer.javaExecutable(), "-Dlogback.configurationFile=logback-json.xml",
        "-jar", JAR.toString(), "--config", bad.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty().allSatisfy(l -> {
      io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(l);
      assertThat(json.getString("level")).isNotNull();
      assertThat(json.getString("logger")).isNotNull();
    });
    assertThat(out).contains("listen.port: must be 0..65535, got -1");
  }

  @Test
  void theShippedConfigServesTheDemoTools() throws Exception {
    int port = FreePort.next();
    ProcessBuilder pb = gateway("conf/junction.yaml").redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JUNCTION_PORT", String.valueOf(port));
    Process p = pb.start();
    List<ProcessHandle> demo = List.of();
    try {
      Await.ready(port, 60);
      try (McpSyncClient client = SdkClients.http("http://127.0.0.1:" + port + "/mcp", SdkClients.options())) {
        assertThat(client.listTools().tools()).extracting(Tool::name)
            .contains("demo_echo", "demo_add", "demo_now", "demo_uuid", "demo_count");
        var sum = client.callTool(new CallToolRequest("demo_add", Map.of("a", 0.1, "b", 0.2)));
        assertThat(((TextContent) sum.content().get(0)).text()).isEqualTo("0.3");
        demo = demoProcesses(p);
        assertThat(demo).isNotEmpty();
      }
    } finally {
      p.destroy(); // SIGTERM: the gateway drains and closes every upstream session
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).as("exit status after SIGTERM").isZero();
    List<ProcessHandle> started = demo;
    Await.until(() -> started.stream().noneMatch(ProcessHandle::isAlive), 10, "the demo servers to exit",
        () -> "demo servers left running: " + started.stream().filter(ProcessHandle::isAlive).toList());
  }

  /** The demo servers this gateway started (other builds on the machine may run their own). */
  private static List<ProcessHandle> demoProcesses(Process gateway) {
    return gateway.descendants()
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().commandLine().map(c -> c.contains("dev.junction.demo.DemoServer")).orElse(false))
        .toList();
  }
}
