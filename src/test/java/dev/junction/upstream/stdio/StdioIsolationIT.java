package dev.junction.upstream.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.FreePort;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkStdioServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * stdio children start clean: a real gateway (a child JVM whose environment holds secrets) runs a
 * real Node stdio server that reports its environment and working directory.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StdioIsolationIT {
  private static final String SECRET = "admin-token-that-must-not-leak-7f3a";
  private static final String SCRIPT = Node.DIR.resolve("env-stdio-server.mjs").toString();

  @BeforeAll
  static void nodeModules() {
    Node.requireInstalled();
  }

  private static JsonObject report(RawMcp mcp, String tool) {
    JsonObject call = new JsonObject().put("name", tool).put("arguments", new JsonObject());
    RawMcp.Reply r = mcp.stateless(1, "tools/call", call);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.result()).as(r.body()).isNotNull();
    return new JsonObject(r.result().getJsonArray("content").getJsonObject(0).getString("text"));
  }

  private static List<Path> children(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void aChildGetsABaseEnvironmentItsOwnVariablesAndAFreshDirectoryThatGoesWithIt(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("work");
    Path pinned = Files.createDirectories(tmp.resolve("pinned"));
    int port = FreePort.next();
    JsonObject upstream = new JsonObject().put("transport", "stdio")
        .put("command", new JsonArray().add("node").add(SCRIPT));
    JsonObject config = new JsonObject()
        .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("auth", new JsonObject().put("unauthenticated", "allow"))
        .put("admin", new JsonObject().put("token", "${JUNCTION_ADMIN_TOKEN}"))
        .put("health", new JsonObject().put("probeInterval", "0s"))
        .put("stdio", new JsonObject().put("workRoot", root.toString()))
        .put("upstreams", new JsonObject()
            .put("env", upstream.copy().put("env", new JsonObject().put("JUNCTION_CONFIGURED", "from-config"))
                .put("inheritEnv", new JsonArray().add("JUNCTION_PASSED").add("JUNCTION_NOT_SET")))
            .put("pinned", upstream.copy().put("cwd", pinned.toString())));
    Path file = Files.writeString(tmp.resolve("junction.yaml"), config.encode());
    ProcessBuilder pb = new ProcessBuilder(SdkStdioServer.javaExecutable(),
        "-cp", System.getProperty("java.class.path"), "dev.junction.Main", "--config", file.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("gateway.log").toFile());
    pb.environment().put("JUNCTION_ADMIN_TOKEN", SECRET);
    pb.environment().put("JUNCTION_PASSED", "passed-on");
    pb.environment().put("JUNCTION_NOT_PASSED", "kept-back");
    Process gateway = pb.start();
    Path first;
    Path second;
    try (RawMcp mcp = new RawMcp("http://127.0.0.1:" + port + "/mcp")) {
      awaitReady(port, gateway, tmp.resolve("gateway.log"));
      JsonObject seen = report(mcp, "env_environment");
      JsonObject env = seen.getJsonObject("env");
      assertThat(env.fieldNames()).as("nothing but the base, inheritEnv and env")
          .isSubsetOf(Set.of("PATH", "HOME", "LANG", "TMPDIR", "JUNCTION_PASSED", "JUNCTION_CONFIGURED"))
          .contains("PATH", "JUNCTION_PASSED", "JUNCTION_CONFIGURED");
      assertThat(env.getString("PATH")).isEqualTo(System.getenv("PATH"));
      assertThat(env.getString("JUNCTION_PASSED")).isEqualTo("passed-on");
      assertThat(env.getString("JUNCTION_CONFIGURED")).isEqualTo("from-config");
      assertThat(env.encode()).doesNotContain(SECRET).doesNotContain("kept-back");

      first = Path.of(seen.getString("cwd"));
      assertThat(first.getParent()).isEqualTo(root.toRealPath());
      assertThat(first.getFileName().toString()).startsWith("env-");
      assertThat(Files.isDirectory(first)).isTrue();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first))).isEqualTo("rwx------");

      ProcessHandle.of(seen.getLong("pid")).orElseThrow().destroyForcibly();
      Await.until(() -> !Files.exists(first), 10, "the work directory of the killed process to be removed");

      JsonObject again = report(mcp, "env_environment");
      second = Path.of(again.getString("cwd"));
      assertThat(again.getLong("pid")).isNotEqualTo(seen.getLong("pid"));
      assertThat(second).isNotEqualTo(first);
      assertThat(second.getParent()).isEqualTo(root.toRealPath());
      assertThat(Files.isDirectory(second)).isTrue();

      JsonObject fixed = report(mcp, "pinned_environment");
      assertThat(Path.of(fixed.getString("cwd"))).as("a configured cwd is used as it is")
          .isEqualTo(pinned.toRealPath());
      assertThat(children(root)).as("a configured cwd gets no work directory").containsExactly(second);
    } finally {
      gateway.destroy(); // SIGTERM: the shutdown hook closes every process
      assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(children(root)).as("work directories left after shutdown").isEmpty();
    assertThat(pinned).isDirectory();
  }

  @Test
  void aProcessThatCannotStartLeavesNoDirectoryBehind(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("work");
    JsonObject missing = new JsonObject().put("transport", "stdio")
        .put("command", new JsonArray().add(tmp.resolve("no-such-program").toString()));
    try (Gateway gateway = Gateway.start(new JsonObject().put("gone", missing),
             new JsonObject().put("stdio", new JsonObject().put("workRoot", root.toString())));
         RawMcp mcp = new RawMcp(gateway.url("/servers/gone/mcp"))) {
      RawMcp.Reply r = mcp.stateless(1, "tools/list", null);
      assertThat(r.last()).as(r.body()).isNotNull();
      assertThat(r.error()).as(r.body()).isNotNull();
      assertThat(root).as("the root is made on first use").isDirectory();
      assertThat(children(root)).isEmpty();
    }
  }

  private static void awaitReady(int port, Process gateway, Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && gateway.isAlive()) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("the gateway did not become ready:\n" + Files.readString(log));
  }
}
