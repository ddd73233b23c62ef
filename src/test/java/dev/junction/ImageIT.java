package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.FreePort;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.SdkClients;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image Jib wrote ({@code -P image}: target/jib-image.tar), checked file by file:
 * its config (user, entrypoint, JVM flags, arguments, environment) and its layers (runtime, jar
 * contents, config, users, /tmp). Then its file system runs: unpacked into a directory and started
 * with {@code chroot} in a user namespace (no container runtime here), it answers --version,
 * validates its own config, serves the bundled demo server and exits 0 on SIGTERM. What this
 * cannot show: a real runtime's cgroup limits, user 10001 (the namespace maps only root), and the
 * image's isolation. Skipped unless the image profile built the tar.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ImageIT {
  private static Path image;
  private static Path unpacked;
  private static JsonObject config;
  private static List<String> layers;

  @BeforeAll
  static void unpack(@TempDir Path dir) throws Exception {
    String tar = System.getProperty("junction.image");
    Assumptions.assumeTrue(tar != null && Files.exists(Path.of(tar)),
        "no image to check: build it with ./mvnw -P image verify");
    image = dir.resolve("image");
    Files.createDirectories(image);
    run(List.of("tar", "-xf", tar, "-C", image.toString()));
    JsonArray manifest = new JsonArray(Files.readString(image.resolve("manifest.json")));
    JsonObject entry = manifest.getJsonObject(0);
    config = new JsonObject(Files.readString(image.resolve(entry.getString("Config"))));
    layers = entry.getJsonArray("Layers").stream().map(Object::toString).toList();
    unpacked = dir.resolve("rootfs");
    Files.createDirectories(unpacked);
    for (String layer : layers) {
      run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", image.resolve(layer).toString(), "-C",
          unpacked.toString()));
    }
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }

  @Test
  void theConfigRunsJavaAsANonRootUserWithContainerFlags() {
    JsonObject c = config.getJsonObject("config");
    assertThat(c.getString("User")).isEqualTo("10001:10001");
    List<String> entrypoint = c.getJsonArray("Entrypoint").stream().map(Object::toString).toList();
    // exec form with java first: the JVM is the container's PID 1 and gets SIGTERM itself, no shell between
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint).contains("-XX:+UseG1GC", "-XX:MaxRAMPercentage=75").endsWith("dev.junction.Main");
    assertThat(c.getJsonArray("Cmd")).containsExactly("--config", "/etc/junction/junction.yaml");
    assertThat(c.getJsonArray("Env")).contains("PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java");
    assertThat(c.getJsonObject("ExposedPorts").fieldNames()).containsExactlyInAnyOrder("8080/tcp", "9090/tcp");
    assertThat(config.getString("os")).isEqualTo("linux");
    assertThat(config.getJsonObject("rootfs").getJsonArray("diff_ids")).hasSameSizeAs(layers);
  }

  @Test
  void theLayersHoldTheRuntimeTheAppAndTheConfig() throws Exception {
    for (String file : List.of("opt/java/bin/java", "opt/java/lib/server/libjvm.so", "opt/java/lib/security/cacerts",
        "app/classes/dev/junction/Main.class", "app/classes/dev/junction/demo/DemoServer.class",
        "app/resources/dev/junction/version.properties", "app/resources/logback.xml", "app/libs/vertx-core-5.0.8.jar",
        "app/jib-classpath-file", "etc/junction/junction.yaml", "etc/passwd", "etc/nsswitch.conf")) {
      assertThat(unpacked.resolve(file)).as(file).isRegularFile();
    }
    assertThat(Files.readString(unpacked.resolve("etc/junction/junction.yaml")))
        .as("the image's config is the ConfigMap's").isEqualTo(Files.readString(Path.of("k8s/base/junction.yaml")));
    assertThat(Files.readString(unpacked.resolve("etc/passwd"))).contains("junction:x:10001:10001:");
    assertThat(Files.readString(unpacked.resolve("app/resources/dev/junction/version.properties")))
        .contains("version=" + Cli.version());
    assertThat(Files.getPosixFilePermissions(unpacked.resolve("tmp"))).hasSize(9);
    String listing = run(List.of("tar", "--warning=no-unknown-keyword", "-tvzf",
        image.resolve(layers.get(0)).toString(),
        "./tmp/"));
    assertThat(listing).as("/tmp is world-writable with the sticky bit").startsWith("drwxrwxrwt");
  }

  /** The image's own entrypoint and arguments, run in its unpacked file system. */
  private static ProcessBuilder inImage(List<String> args) {
    // /proc and /dev come from the runtime in a container (without /dev/urandom the JVM's seeding stalls)
    List<String> command = new ArrayList<>(List.of("unshare", "-r", "-m", "/bin/sh", "-c",
        "mount --rbind /proc \"$0/proc\" && mount --rbind /dev \"$0/dev\" && exec /usr/sbin/chroot \"$0\" \"$@\"",
        unpacked.toString()));
    config.getJsonObject("config").getJsonArray("Entrypoint").forEach(a -> command.add(a.toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    config.getJsonObject("config").getJsonArray("Env").forEach(e -> {
      String[] kv = e.toString().split("=", 2);
      pb.environment().put(kv[0], kv[1]);
    });
    return pb;
  }

  private static boolean namespacesWork() {
    try {
      Process p = new ProcessBuilder("unshare", "-r", "-m", "true").start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void itsFileSystemRunsTheGatewayAndTheDemoServer() throws Exception {
    Assumptions.assumeTrue(namespacesWork(), "user namespaces are off here: the image's file system cannot be run");
    Process version = inImage(List.of("--version")).redirectErrorStream(true).start();
    assertThat(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("junction " + Cli.version());
    assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> cmd = config.getJsonObject("config").getJsonArray("Cmd").stream().map(Object::toString).toList();
    List<String> validate = new ArrayList<>(cmd);
    validate.add("--validate");
    Process valid = inImage(validate).redirectErrorStream(true).start();
    String said = new String(valid.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(valid.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(valid.exitValue()).as(said).isZero();

    // the image's config on free ports (the host's network is shared here)
    List<Integer> ports = FreePort.next(2);
    int port = ports.get(0);
    int management = ports.get(1);
    Files.writeString(unpacked.resolve("tmp/it.yaml"), Files.readString(unpacked.resolve("etc/junction/junction.yaml"))
        .replace("port: 8080", "port: " + port).replace("port: 9090", "port: " + management)
        .replace("drainDelay: 5s", "drainDelay: 0s"));
    Process gateway = inImage(List.of("--config", "/tmp/it.yaml")).redirectErrorStream(true)
        .redirectOutput(unpacked.resolve("tmp/it.log").toFile()).start();
    try {
      Await.ready(management, 60);
      try (McpSyncClient client = SdkClients.http("http://127.0.0.1:" + port + "/mcp", SdkClients.options())) {
        var sum = client.callTool(CallToolRequest.builder().name("demo_add").arguments(Map.of("a", 0.1, "b", 0.2))
            .build());
        assertThat(((TextContent) sum.content().get(0)).text()).as("the bundled demo server, run in the image")
            .isEqualTo("0.3");
      }
      gateway.destroy(); // SIGTERM
      assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(gateway.exitValue()).as(Files.readString(unpacked.resolve("tmp/it.log"))).isZero();
      assertThat(Files.readString(unpacked.resolve("tmp/it.log"))).contains("garbage collector: G1", "drained");
    } finally {
      gateway.destroyForcibly();
    }
  }
}
