package dev.junction.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.routing.Names;
import dev.junction.testkit.Admin;
import dev.junction.testkit.Await;
import dev.junction.testkit.ConfigFile;
import dev.junction.testkit.FreePort;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.Issuer;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkClients;
import dev.junction.testkit.SdkStdioServer;
import dev.junction.testkit.StubMcpServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Config hot reload with sessions open and calls in flight: each kind of change, made by writing
 * the file in place, by an editor's rename, by a kubelet-style ConfigMap swap, and by
 * {@code POST /admin/reload}. The effect shows on the next request, clients whose lists changed
 * hear list_changed, no call in flight fails, and old upstream sessions and processes are gone
 * after the drain.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConfigReloadIT {
  static final String KEY_ACME = "acme-key-0123456789";
  static final String KEY_BETA = "beta-key-0123456789";

  /**
   * How a test makes its change: one of the file writes (the watcher sees it), a write then the
   * admin call, or a write then SIGHUP to a gateway running as a child process.
   */
  enum How { IN_PLACE, RENAME, KUBELET, ADMIN, SIGHUP }

  /** A running gateway on a config file (in this JVM, or a child process for SIGHUP), and the version it should run. */
  static final class Reloading implements AutoCloseable {
    final ConfigFile file;
    final Gateway gateway;
    final Process child;
    final int port;
    final How how;
    final RawMcp admin;
    final RawMcp config;
    long version = 1;

    Reloading(Path dir, How how, JsonObject initial) {
      this.how = how;
      ConfigFile.Write write = switch (how) {
        case RENAME -> ConfigFile.Write.RENAME;
        case KUBELET -> ConfigFile.Write.KUBELET;
        default -> ConfigFile.Write.IN_PLACE;
      };
      if (how == How.ADMIN || how == How.SIGHUP) {
        initial.getJsonObject("reload").put("watch", false);
      }
      if (how == How.SIGHUP) {
        fixed = FreePort.next();
        initial.getJsonObject("listen").put("port", fixed);
      }
      this.file = ConfigFile.create(dir, write, initial);
      if (how == How.SIGHUP) {
        this.gateway = null;
        this.port = fixed;
        this.child = launch(file.path(), dir.resolve("gateway.log"));
      } else {
        this.gateway = Gateway.fromFile(file.path());
        this.port = gateway.port();
        this.child = null;
      }
      this.admin = new RawMcp(url("/admin/reload"));
      this.config = new RawMcp(url("/admin/config"));
      if (child != null) {
        Await.until(() -> listening(port) || !child.isAlive(), 60, "the child gateway listening");
        assertThat(child.isAlive()).as("the child gateway runs (see gateway.log)").isTrue();
        assertThat(running()).isEqualTo(1);
      }
    }

    /** A port fixed for the child gateway's config: every rewrite keeps it, so no restart is needed. */
    private int fixed;

    private static boolean listening(int port) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    /** {@code java -cp <this class path> dev.junction.Main --config FILE}, as a user runs it. */
    private static Process launch(Path config, Path log) {
      try {
        return new ProcessBuilder(SdkStdioServer.javaExecutable(), "-cp", System.getProperty("java.class.path"),
            "dev.junction.Main", "--config", config.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }

    /** Writes the config and waits until the gateway runs it as the next version. */
    void apply(JsonObject next) {
      if (how == How.SIGHUP) {
        next.getJsonObject("listen").put("port", port);
      }
      if (how == How.SIGHUP || how == How.ADMIN) {
        next.getJsonObject("reload").put("watch", false);
      }
      file.write(next);
      version++;
      if (how == How.SIGHUP) {
        hangUp();
        Await.until(() -> running() == version, 20, "config version " + version, () -> "" + running());
      } else if (how == How.ADMIN) {
        JsonObject answer = reload(200);
        assertThat(answer.getString("outcome")).isEqualTo("applied");
        assertThat(answer.getLong("version")).isEqualTo(version);
      } else {
        Await.until(() -> running() == version, 10, "config version " + version, () -> "" + running());
      }
    }

    private void hangUp() {
      try {
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(child.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        assertThat(child.isAlive()).as("the gateway survives SIGHUP").isTrue();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    JsonObject reload(int status) {
      RawMcp.Reply r = admin.send(HttpMethod.POST, auth(), null);
      assertThat(r.status()).as(r.body()).isEqualTo(status);
      return new JsonObject(r.body());
    }

    long running() {
      return effective().getLong("version");
    }

    JsonObject effective() {
      RawMcp.Reply r = config.send(HttpMethod.GET, auth(), null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return new JsonObject(r.body());
    }

    static MultiMap auth() {
      return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + Admin.TOKEN);
    }

    @Override
    public void close() {
      admin.close();
      config.close();
      if (gateway != null) {
        gateway.close();
      }
      if (child != null) {
        child.destroy();
        try {
          if (!child.waitFor(30, TimeUnit.SECONDS)) {
            child.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  static JsonObject base(StubMcpServer alpha) {
    return new JsonObject()
        .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("shards", 2)
        .put("ingressInstances", 2)
        .put("health", new JsonObject().put("probeInterval", "0s"))
        .put("admin", Admin.config())
        .put("reload", new JsonObject().put("pollInterval", "100ms").put("debounce", "200ms"))
        .put("auth", new JsonObject()
            .put("apiKeys", new JsonArray().add(key(KEY_ACME, "acme")))
            .put("tenants", new JsonObject().put("acme", new JsonObject())))
        .put("upstreams", new JsonObject()
            .put("alpha", Gateway.http(alpha.url()).put("headers", new JsonObject().put("Authorization", "Bearer one")))
            .put("beta", Gateway.stdio("beta")));
  }

  static JsonObject key(String key, String tenant) {
    return new JsonObject().put("sha256", Names.sha256Hex(key)).put("tenant", tenant);
  }

  static McpSyncClient client(Reloading r, String key, List<List<Tool>> changes) {
    var options = SdkClients.options().header("x-api-key", key)
        .customize(spec -> spec.toolsChangeConsumer(changes::add));
    return SdkClients.http(r.url("/mcp"), options);
  }

  static String text(CallToolResult result) {
    assertThat(result.isError()).as("isError of %s", result).isNotEqualTo(Boolean.TRUE);
    return ((TextContent) result.content().get(0)).text();
  }

  static CompletableFuture<String> slow(McpSyncClient client, String tool, long ms) {
    return CompletableFuture.supplyAsync(() -> text(client.callTool(new CallToolRequest(tool, Map.of("ms", ms)))));
  }

  static List<String> names(McpSyncClient client) {
    return client.listTools().tools().stream().map(Tool::name).toList();
  }

  /** Live child processes of this JVM that run the test kit's stdio server under {@code name}. */
  static long processes(String name) {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> {
      try {
        // the command line from /proc: ProcessHandle.Info may leave the arguments out
        List<String> args = List.of(Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"))
            .split("\0"));
        return args.get(args.size() - 1).equals(name) && args.contains(SdkStdioServer.class.getName());
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }).count();
  }

  /** The HTTP status of a tools/list in the session, sent by hand. */
  static int statusOf(RawMcp raw, String session, String key) {
    MultiMap headers = RawMcp.sessionHeaders(session, "2025-06-18").add("x-api-key", key);
    return raw.post(headers, new JsonObject().put("jsonrpc", "2.0").put("id", 9).put("method", "tools/list"))
        .status();
  }

  static String rawSession(RawMcp raw, String key) {
    MultiMap headers = RawMcp.postHeaders().add("x-api-key", key);
    RawMcp.Reply r = raw.post(headers, new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "raw").put("version", "1"))));
    return r.status() == 200 ? r.headers().get("Mcp-Session-Id") : "status " + r.status();
  }

  @ParameterizedTest
  @EnumSource(How.class)
  void tenantsKeysAndFiltersApplyOnTheNextRequest(How how, @TempDir Path dir) throws Exception {
    try (StubMcpServer alpha = StubMcpServer.start();
         Reloading r = new Reloading(dir, how, base(alpha));
         RawMcp raw = new RawMcp(r.url("/mcp"))) {
      List<List<Tool>> changes = new CopyOnWriteArrayList<>();
      try (McpSyncClient acme = client(r, KEY_ACME, changes)) {
        assertThat(names(acme)).contains("alpha_echo", "beta_echo");
        assertThat(rawSession(raw, KEY_BETA)).isEqualTo("status 401");
        CompletableFuture<String> inFlight = slow(acme, "alpha_slow", 2_000);
        CompletableFuture<String> inFlightStdio = slow(acme, "beta_slow", 2_000);

        // a tenant and its API key are added
        JsonObject withBeta = base(alpha);
        withBeta.getJsonObject("auth").getJsonArray("apiKeys").add(key(KEY_BETA, "beta-co"));
        withBeta.getJsonObject("auth").getJsonObject("tenants").put("beta-co", new JsonObject());
        r.apply(withBeta);
        String betaSession = rawSession(raw, KEY_BETA);
        assertThat(betaSession).doesNotStartWith("status");
        assertThat(statusOf(raw, betaSession, KEY_BETA)).isEqualTo(200);

        // acme's tool filter is narrowed: beta's tools leave its next list and its calls
        JsonObject narrowed = withBeta.copy();
        narrowed.getJsonObject("auth").getJsonObject("tenants").put("acme", new JsonObject()
            .put("tools", new JsonObject().put("deny", new JsonArray().add("beta_*"))));
        int heard = changes.size();
        r.apply(narrowed);
        assertThat(names(acme)).contains("alpha_echo").doesNotContain("beta_echo");
        assertThatThrownBy(() -> acme.callTool(new CallToolRequest("beta_echo", Map.of("text", "x"))))
            .hasMessageContaining("nknown tool");
        Await.until(() -> changes.size() > heard, 10, "tools list_changed for the narrowed filter");

        // the tenant and its key are removed: its session's next request is refused
        JsonObject withoutBeta = narrowed.copy();
        withoutBeta.getJsonObject("auth").put("apiKeys", new JsonArray().add(key(KEY_ACME, "acme")));
        withoutBeta.getJsonObject("auth").getJsonObject("tenants").remove("beta-co");
        r.apply(withoutBeta);
        assertThat(statusOf(raw, betaSession, KEY_BETA)).isEqualTo(401);
        // and the session itself ended: with the tenant and key back, it is unknown
        r.apply(narrowed);
        assertThat(statusOf(raw, betaSession, KEY_BETA)).isEqualTo(404);

        // acme's session lived through every reload, and nothing in flight failed
        assertThat(inFlight.get(20, TimeUnit.SECONDS)).isEqualTo("slow done");
        assertThat(inFlightStdio.get(20, TimeUnit.SECONDS)).isEqualTo("slow done");
        assertThat(text(acme.callTool(new CallToolRequest("alpha_echo", Map.of("text", "still"))))).isNotEmpty();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(How.class)
  void upstreamsAreAddedChangedAndRemoved(How how, @TempDir Path dir) throws Exception {
    try (StubMcpServer alpha = StubMcpServer.start();
         StubMcpServer gamma = StubMcpServer.start(StubMcpServer.Spec.basic().named("gamma"));
         Reloading r = new Reloading(dir, how, base(alpha))) {
      List<List<Tool>> changes = new CopyOnWriteArrayList<>();
      try (McpSyncClient acme = client(r, KEY_ACME, changes)) {
        assertThat(names(acme)).doesNotContain("gamma_echo");
        assertThat(text(acme.callTool(new CallToolRequest("beta_whoami", Map.of())))).isEqualTo("beta");
        assertThat(processes("beta")).isEqualTo(1);
        CompletableFuture<String> onAlpha = slow(acme, "alpha_slow", 2_500);
        CompletableFuture<String> onBeta = slow(acme, "beta_slow", 2_500);

        // added: it shows in the next list, and the client hears list_changed
        JsonObject added = base(alpha);
        added.getJsonObject("upstreams").put("gamma", Gateway.http(gamma.url()));
        int heard = changes.size();
        r.apply(added);
        Await.until(() -> changes.size() > heard, 10, "list_changed for the added upstream");
        assertThat(names(acme)).contains("gamma_echo");
        assertThat(text(acme.callTool(new CallToolRequest("gamma_echo", Map.of("text", "hi"))))).isNotEmpty();

        // changed: a new credential for alpha, a new command for beta; calls in flight finish on the old ones
        JsonObject changed = added.copy();
        changed.getJsonObject("upstreams").getJsonObject("alpha").put("headers",
            new JsonObject().put("Authorization", "Bearer two"));
        changed.getJsonObject("upstreams").put("beta", Gateway.stdio("beta2"));
        r.apply(changed);
        assertThat(text(acme.callTool(new CallToolRequest("alpha_echo", Map.of("text", "x"))))).isNotEmpty();
        assertThat(alpha.authorizations()).last().isEqualTo("Bearer two");
        assertThat(text(acme.callTool(new CallToolRequest("beta_whoami", Map.of())))).isEqualTo("beta2");
        assertThat(onAlpha.get(20, TimeUnit.SECONDS)).isEqualTo("slow done");
        assertThat(onBeta.get(20, TimeUnit.SECONDS)).isEqualTo("slow done");
        Await.until(() -> processes("beta") == 0, 10, "the old beta process gone", () -> "" + processes("beta"));
        assertThat(processes("beta2")).isEqualTo(1);
        Await.until(() -> alpha.liveSessions() == 1, 10, "the old alpha session ended",
            () -> alpha.liveSessions() + " live");

        // removed: its tools go, calls to it fail as unknown, its sessions end, clients hear it
        JsonObject removed = changed.copy();
        removed.getJsonObject("upstreams").remove("gamma");
        int before = changes.size();
        r.apply(removed);
        Await.until(() -> changes.size() > before, 10, "list_changed for the removed upstream");
        assertThat(names(acme)).doesNotContain("gamma_echo").contains("alpha_echo", "beta_echo");
        assertThatThrownBy(() -> acme.callTool(new CallToolRequest("gamma_echo", Map.of("text", "x"))))
            .hasMessageContaining("nknown tool");
        Await.until(() -> gamma.liveSessions() == 0, 10, "gamma's sessions ended", () -> gamma.liveSessions() + "");
      }
    }
  }

  @Test
  void anInvalidFileIsRejectedAndNothingChanges(@TempDir Path dir) {
    try (StubMcpServer alpha = StubMcpServer.start();
         Reloading r = new Reloading(dir, How.IN_PLACE, base(alpha));
         Admin admin = new Admin(r.gateway)) {
      JsonObject bad = base(alpha);
      bad.getJsonObject("upstreams").getJsonObject("alpha").put("url", "not a url");
      bad.getJsonObject("auth").getJsonArray("apiKeys").add(key(KEY_BETA, "beta-co"));
      bad.put("sessionIdleTimeout", "soon");
      r.file.write(bad);
      JsonObject answer = r.reload(400);
      assertThat(answer.getString("outcome")).isEqualTo("rejected");
      assertThat(answer.getLong("version")).isEqualTo(1);
      assertThat(answer.getJsonArray("errors").encode()).contains("upstreams.alpha.url", "sessionIdleTimeout");
      // the watcher saw the same file: it is not applied either
      assertThat(r.running()).isEqualTo(1);
      assertThat(admin.metrics()).contains("junction_config_reloads_total{outcome=\"rejected\"")
          .contains("junction_config_version 1.0");
      try (RawMcp raw = new RawMcp(r.url("/mcp"))) {
        assertThat(rawSession(raw, KEY_BETA)).isEqualTo("status 401");
        assertThat(rawSession(raw, KEY_ACME)).doesNotStartWith("status");
      }
      assertThat(new JsonObject(new RawMcp(r.url("/readyz")).send(HttpMethod.GET,
          MultiMap.caseInsensitiveMultiMap(), null).body()).getLong("configVersion")).isEqualTo(1);
    }
  }

  @Test
  void aListenerChangeNeedsARestartWhileTheRestApplies(@TempDir Path dir) {
    try (StubMcpServer alpha = StubMcpServer.start();
         Reloading r = new Reloading(dir, How.ADMIN, base(alpha))) {
      JsonObject next = base(alpha);
      next.getJsonObject("reload").put("watch", false);
      next.getJsonObject("listen").put("port", 1);
      next.put("shards", 3);
      next.getJsonObject("auth").getJsonArray("apiKeys").add(key(KEY_BETA, "beta-co"));
      next.getJsonObject("auth").getJsonObject("tenants").put("beta-co", new JsonObject());
      r.file.write(next);
      JsonObject answer = r.reload(200);
      assertThat(answer.getString("outcome")).isEqualTo("applied");
      assertThat(answer.getJsonArray("needsRestart").getList()).containsExactly("listen.port", "shards");
      JsonObject effective = r.effective();
      assertThat(effective.getLong("version")).isEqualTo(2);
      assertThat(effective.getJsonObject("config").getJsonObject("listen").getInteger("port")).isEqualTo(0);
      assertThat(effective.getJsonObject("config").encode()).doesNotContain("Bearer one");
      try (RawMcp raw = new RawMcp(r.url("/mcp"))) {
        assertThat(rawSession(raw, KEY_BETA)).doesNotStartWith("status");
      }
    }
  }

  @Test
  void withAManagementPortTheAdminRoutesAreServedThere(@TempDir Path dir) {
    try (StubMcpServer alpha = StubMcpServer.start()) {
      JsonObject config = base(alpha).put("management", new JsonObject().put("host", "127.0.0.1").put("port", 0));
      config.getJsonObject("reload").put("watch", false); // only the admin call reloads
      ConfigFile file = ConfigFile.create(dir, ConfigFile.Write.IN_PLACE, config);
      try (Gateway gateway = Gateway.fromFile(file.path());
           RawMcp onMcp = new RawMcp(gateway.url("/admin/reload"));
           RawMcp reload = new RawMcp("http://127.0.0.1:" + gateway.junction().managementPort() + "/admin/reload");
           RawMcp ready = new RawMcp("http://127.0.0.1:" + gateway.junction().managementPort() + "/readyz")) {
        assertThat(onMcp.send(HttpMethod.POST, Reloading.auth(), null).status()).isEqualTo(404);
        assertThat(reload.send(HttpMethod.POST, MultiMap.caseInsensitiveMultiMap(), null).status()).isEqualTo(401);
        RawMcp.Reply same = reload.send(HttpMethod.POST, Reloading.auth(), null);
        assertThat(same.status()).isEqualTo(200);
        assertThat(new JsonObject(same.body()).getString("outcome")).isEqualTo("unchanged");
        config.getJsonObject("auth").getJsonArray("apiKeys").add(key(KEY_BETA, "beta-co"));
        config.getJsonObject("auth").getJsonObject("tenants").put("beta-co", new JsonObject());
        file.write(config);
        RawMcp.Reply applied = reload.send(HttpMethod.POST, Reloading.auth(), null);
        assertThat(new JsonObject(applied.body()).getString("outcome")).isEqualTo("applied");
        assertThat(new JsonObject(ready.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), null).body())
            .getLong("configVersion")).isEqualTo(2);
      }
    }
  }

  /**
   * An API key removed while its tenant stays (another key of the tenant remains): the key's next
   * request gets 401 at once, and the sessions it opened end, with their upstream sessions: the
   * tenant's other key finds them unknown (404). One with a call in flight takes no new request,
   * and ends once that call has been answered. The other key's session is untouched.
   */
  @Test
  void aRemovedKeysSessionsEndWhileItsTenantStays(@TempDir Path dir) throws Exception {
    String second = "acme-second-0123456789";
    try (StubMcpServer alpha = StubMcpServer.start()) {
      JsonObject both = base(alpha);
      both.getJsonObject("auth").getJsonArray("apiKeys").add(key(second, "acme"));
      try (Reloading r = new Reloading(dir, How.ADMIN, both);
           RawMcp raw = new RawMcp(r.url("/mcp"))) {
        String kept = rawSession(raw, KEY_ACME);
        String idle = rawSession(raw, second);
        String busy = rawSession(raw, second);
        for (String session : List.of(kept, idle, busy)) {
          assertThat(callStatus(raw, session, KEY_ACME, "alpha_echo", 0)).isEqualTo(200);
        }
        assertThat(alpha.liveSessions()).isEqualTo(3); // one upstream session per client session
        CompletableFuture<RawMcp.Reply> inFlight = CompletableFuture.supplyAsync(() -> raw.post(
            RawMcp.sessionHeaders(busy, "2025-06-18").add("x-api-key", second), toolCall("alpha_slow", 2_000)));
        Await.until(() -> alpha.received().stream().anyMatch(m -> "slow".equals(
            m.getJsonObject("params", new JsonObject()).getString("name"))), 10, "the slow call upstream");

        JsonObject without = base(alpha);
        r.apply(without);
        // the key's next request is refused at once
        assertThat(statusOf(raw, idle, second)).isEqualTo(401);
        assertThat(rawSession(raw, second)).isEqualTo("status 401");
        // and its sessions are gone for the tenant's other key too: ended, not only refused
        assertThat(statusOf(raw, idle, KEY_ACME)).isEqualTo(404);
        // the busy one takes no new request, but its call in flight finishes
        assertThat(statusOf(raw, busy, KEY_ACME)).isEqualTo(404);
        RawMcp.Reply slow = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(slow.status()).as(slow.body()).isEqualTo(200);
        assertThat(slow.last().encode()).contains("slow done");
        // their upstream sessions end: the kept session's is the one left
        Await.until(() -> alpha.liveSessions() == 1, 10, "the removed key's upstream sessions ended",
            () -> alpha.liveSessions() + " live");
        assertThat(callStatus(raw, kept, KEY_ACME, "alpha_echo", 0)).isEqualTo(200);
        // the key back does not bring them back
        r.apply(both);
        assertThat(statusOf(raw, idle, second)).isEqualTo(404);
        assertThat(statusOf(raw, kept, second)).isEqualTo(200);
      }
    }
  }

  /**
   * RFC 9728 metadata follows the endpoints of the running version: an upstream added by a reload
   * has its {@code /.well-known/oauth-protected-resource/servers/<name>/mcp} at once, a removed
   * one's is 404.
   */
  @Test
  void theProtectedResourceMetadataOfAnAddedServerIsServed(@TempDir Path dir) {
    try (Issuer as = Issuer.start();
         StubMcpServer alpha = StubMcpServer.start();
         StubMcpServer gamma = StubMcpServer.start(StubMcpServer.Spec.basic().named("gamma"))) {
      JsonObject initial = base(alpha);
      initial.getJsonObject("auth").put("resource", "https://junction.test")
          .put("oauth", new JsonObject().put("issuer", as.issuer("default")));
      try (Reloading r = new Reloading(dir, How.ADMIN, initial);
           RawMcp gammaMeta = new RawMcp(r.url("/.well-known/oauth-protected-resource/servers/gamma/mcp"));
           RawMcp alphaMeta = new RawMcp(r.url("/.well-known/oauth-protected-resource/servers/alpha/mcp"))) {
        MultiMap none = MultiMap.caseInsensitiveMultiMap();
        assertThat(gammaMeta.send(HttpMethod.GET, none, null).status()).isEqualTo(404);
        assertThat(alphaMeta.send(HttpMethod.GET, none, null).status()).isEqualTo(200);
        JsonObject next = initial.copy();
        next.getJsonObject("upstreams").put("gamma", Gateway.http(gamma.url()));
        next.getJsonObject("upstreams").remove("alpha");
        r.apply(next);
        RawMcp.Reply added = gammaMeta.send(HttpMethod.GET, none, null);
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(new JsonObject(added.body()).getString("resource"))
            .isEqualTo("https://junction.test/servers/gamma/mcp");
        assertThat(alphaMeta.send(HttpMethod.GET, none, null).status()).isEqualTo(404);
      }
    }
  }

  static JsonObject toolCall(String tool, long ms) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call").put("params",
        new JsonObject().put("name", tool).put("arguments", new JsonObject().put("ms", ms).put("text", "x")));
  }

  /** The HTTP status of a tools/call in the session, sent by hand. */
  static int callStatus(RawMcp raw, String session, String key, String tool, long ms) {
    return raw.post(RawMcp.sessionHeaders(session, "2025-06-18").add("x-api-key", key), toolCall(tool, ms)).status();
  }

  /**
   * 50 writes in 5 s (one in ten invalid, and the watcher may read a file half written) while four
   * clients call without pause, each write rotating alpha's credential: it ends on the last file,
   * no call failed, and the upstream sessions left are the gateway's live ones.
   */
  @Test
  void aReloadStormUnderLoadEndsOnTheLastValidVersion(@TempDir Path dir) throws Exception {
    try (StubMcpServer alpha = StubMcpServer.start();
         Reloading r = new Reloading(dir, How.IN_PLACE, storm(base(alpha), -1))) {
      List<String> failures = new CopyOnWriteArrayList<>();
      AtomicInteger calls = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      List<McpSyncClient> clients = new ArrayList<>();
      List<CompletableFuture<Void>> load = new ArrayList<>();
      try {
        for (int c = 0; c < 4; c++) {
          McpSyncClient client = client(r, KEY_ACME, new CopyOnWriteArrayList<>());
          clients.add(client);
          String tool = c % 2 == 0 ? "alpha_echo" : "beta_echo";
          load.add(CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
              try {
                text(client.callTool(new CallToolRequest(tool, Map.of("text", "load"))));
                calls.incrementAndGet();
              } catch (RuntimeException | AssertionError e) {
                failures.add(tool + ": " + e.getMessage());
              }
            }
          }));
        }
        for (int i = 0; i < 50; i++) {
          if (i % 10 == 5) {
            r.file.write("listen: [not, a, mapping");
          } else {
            r.file.write(storm(base(alpha), i));
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        Await.until(() -> r.effective().getJsonObject("config").getJsonObject("auth").getJsonObject("tenants")
            .containsKey("t49"), 10, "the last file applied");
        int before = calls.get();
        Await.until(() -> calls.get() > before + 10, 10, "calls on the last version");
      } finally {
        stop.set(true);
        CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        clients.forEach(McpSyncClient::close);
      }
      assertThat(failures).isEmpty();
      assertThat(calls.get()).isGreaterThan(50);
      try (Admin admin = new Admin(r.gateway)) {
        assertThat(admin.metrics()).contains("junction_config_reloads_total{outcome=\"applied\"")
            .contains("junction_config_version " + r.running() + ".0");
      }
      // every alpha session of a retired key was closed: the stub holds only the gateway's live ones
      try (RawMcp pool = new RawMcp(r.url("/admin/pool"))) {
        Await.until(() -> {
          JsonObject view = new JsonObject(pool.send(HttpMethod.GET, Reloading.auth(), null).body());
          long held = view.getJsonArray("keys").stream().map(JsonObject.class::cast)
              .filter(k -> "alpha".equals(k.getString("upstream")))
              .mapToLong(k -> k.getJsonArray("sessions").size()).sum();
          return alpha.liveSessions() == held;
        }, 15, "no leaked alpha session", () -> alpha.liveSessions() + " live at the stub");
      }
      // beta's processes belonged to the clients' sessions (client sharing): none is left behind
      Await.until(() -> processes("beta") == 0, 15, "no leaked beta process", () -> processes("beta") + " alive");
      assertThat(alpha.authorizations()).contains("Bearer 49");
    }
  }

  /** A storm's write: alpha's credential and a tenant named after the write, and no debounce. */
  static JsonObject storm(JsonObject config, int i) {
    config.getJsonObject("reload").put("debounce", "0s");
    config.getJsonObject("upstreams").getJsonObject("alpha").put("headers",
        new JsonObject().put("Authorization", "Bearer " + i));
    config.getJsonObject("auth").getJsonObject("tenants").put("t" + i, new JsonObject());
    return config;
  }
}
