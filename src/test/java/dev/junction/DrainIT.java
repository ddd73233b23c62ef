package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.FreePort;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.SdkStdioServer;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the packaged gateway during a 3 s tool call: readiness turns 503 at once, the node
 * keeps serving for the drain delay, then refuses connections while the call completes; upstream
 * sessions are ended (an HTTP upstream gets its DELETE, a stdio server process stops) and the
 * process exits 0.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DrainIT {
  private static final Path JAR = Path.of("target", "junction.jar");
  private static final String VERSION = "2025-06-18";
  private static final long DRAIN_DELAY_MS = 1_500;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static HttpRequest.Builder post(int port, String session, JsonObject body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    return session == null ? b : b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", VERSION);
  }

  private static JsonObject call(int id, String tool, JsonObject arguments) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool).put("arguments", arguments));
  }

  private int readyz(int port) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void sigtermLetsTheCallFinishEndsUpstreamSessionsAndExits0(@TempDir Path dir) throws Exception {
    List<Integer> ports = FreePort.next(2);
    int port = ports.get(0);
    int management = ports.get(1);
    Path log = dir.resolve("gateway.log");
    Path config = dir.resolve("junction.yaml");
    try (StubMcpServer stub = StubMcpServer.start()) {
      Files.writeString(config, """
          listen: {host: 127.0.0.1, port: %d}
          management: {host: 127.0.0.1, port: %d}
          shutdown: {drainDelay: %dms, timeout: 20s}
          auth: {unauthenticated: allow}
          health: {probeInterval: 0s}
          upstreams:
            stub: {transport: streamable-http, url: "%s"}
            demo: {transport: stdio, command: [java, -cp, %s, dev.junction.demo.DemoServer]}
          """.formatted(port, management, DRAIN_DELAY_MS, stub.url(), JAR.toAbsolutePath()));
      Process p = new ProcessBuilder(SdkStdioServer.javaExecutable(), "-jar", JAR.toString(), "--config",
          config.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        Await.ready(management, 60);
        HttpResponse<String> init = http.send(post(port, null, new JsonObject().put("jsonrpc", "2.0").put("id", 0)
            .put("method", "initialize").put("params", new JsonObject().put("protocolVersion", VERSION)
                .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "drain")
                    .put("version", "1")))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(init.statusCode()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(post(port, session, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"))
            .build(), HttpResponse.BodyHandlers.discarding());
        // the stdio server runs once a call has used it
        HttpResponse<String> echo = http.send(post(port, session, call(1, "demo_echo",
            new JsonObject().put("text", "hi"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(echo.body()).contains("hi");
        List<ProcessHandle> children = p.toHandle().descendants().filter(ProcessHandle::isAlive).toList();
        assertThat(children).as("the demo server's process").isNotEmpty();
        assertThat(stub.liveSessions()).isEqualTo(1);

        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(post(port, session,
            call(2, "stub_slow", new JsonObject().put("ms", 3_000))).build(), HttpResponse.BodyHandlers.ofString());
        awaitCallAtStub(stub);
        long sigterm = System.nanoTime();
        p.destroy(); // SIGTERM
        long notReady = -1;
        while (System.nanoTime() - sigterm < TimeUnit.SECONDS.toNanos(1)) {
          if (readyz(management) == 503) {
            notReady = System.nanoTime() - sigterm;
            break;
          }
        }
        assertThat(notReady).as("/readyz turns 503 within a second of SIGTERM").isNotNegative();
        assertThat(slow).as("the call is still running").isNotDone();
        // still serving during the drain delay: a new connection gets an answer
        HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> during = fresh.send(post(port, session, new JsonObject().put("jsonrpc", "2.0")
            .put("id", 3).put("method", "ping")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(during.statusCode()).isEqualTo(200);
        long refused = awaitRefused(port) - sigterm;
        assertThat(refused).as("connections are refused only after the drain delay")
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(DRAIN_DELAY_MS - 100));
        assertThat(slow).as("the 3 s call is still running when the listener has closed").isNotDone();

        HttpResponse<String> done = slow.get(20, TimeUnit.SECONDS);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("slow done").doesNotContain("\"error\"");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the gateway exits").isTrue();
        assertThat(p.exitValue()).as("exit status").isZero();
        assertThat(stub.deleted()).as("the upstream session got its DELETE").hasSize(1);
        assertThat(stub.liveSessions()).isZero();
        for (ProcessHandle child : children) {
          assertThat(child.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("stdio server stopped").isFalse();
        }
        String out = Files.readString(log);
        assertThat(out).contains("Junction " + Cli.version() + " starting").contains("draining").contains("drained");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  /** Connects until the port refuses; returns when that was first seen. */
  private static long awaitRefused(int port) {
    Await.until(() -> {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return false;
      } catch (IOException refused) {
        return true;
      }
    }, 10, "the MCP port to refuse connections");
    return System.nanoTime();
  }

  private static void awaitCallAtStub(StubMcpServer stub) {
    Await.until(() -> stub.count("tools/call") > 0, 10, "the call to reach the upstream");
  }
}
