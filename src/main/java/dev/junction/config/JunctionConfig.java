package dev.junction.config;

import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Binder;
import dev.junction.binding.Key;
import dev.junction.binding.Show;
import dev.junction.config.UpstreamAuthOptions.Mode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole configuration, as {@link ConfigLoader} binds it from the file. Deeply immutable, so
 * every verticle context may read the same instance.
 */
public record JunctionConfig(
    @Key(name = "listen.host", value = DEFAULT_HOST, restart = true, doc = "The address to listen on.") String host,
    @Key(name = "listen.port", value = "" + DEFAULT_PORT, min = 0, max = 65535, must = "be 0..65535, got %s",
        restart = true, doc = "The port to listen on; 0 picks a free one.") int port,
    @Key(restart = true, doc = "Pool shards (default: one per core); a tenant's sessions all live on one shard.")
    int shards,
    @Key(restart = true, doc = "HTTP server instances (default: one per core).") int ingressInstances,
    @Key(name = "sessionIdleTimeout", value = "30m", unit = MILLIS, restart = true,
        doc = "A downstream session idle this long is ended (an open GET stream is activity).")
    long sessionIdleTimeoutMs,
    @Key(doc = "Origins allowed besides loopback ones; a request with another Origin gets 403.")
    List<String> allowedOrigins,
    @Key(restart = true, doc = "Host names allowed besides loopback names, IP addresses, listen.host and"
        + " auth.resource's host; ['*'] turns the check off.") List<String> allowedHosts,
    @Key(restart = true, doc = "Client connections and request bodies.") LimitsOptions limits,
    @Key(value = "open", doc = "Aggregate lists: open leaves a failing upstream out, closed fails.")
    FailureMode failureMode,
    @Key(name = "listCacheTtl", value = "60s", unit = MILLIS, min = 0, must = "be a duration such as 30s"
        + " (0 turns the cache off)", doc = "How long list pages are cached unless the upstream sends ttlMs; 0: off.")
    long listCacheTtlMs,
    @Key(name = "sseKeepAlive", value = "15s", unit = MILLIS, restart = true, doc = "An SSE comment after this much"
        + " silence; a call unanswered this long becomes an SSE stream.") long sseKeepAliveMs,
    @Key(name = "secretRefreshInterval", value = "30s", unit = MILLIS, restart = true,
        doc = "How often headerFiles are read again.") long secretRefreshIntervalMs,
    @Key(name = "metrics.vertx", value = "false", restart = true, doc = "Add Vert.x's own per-request meters"
        + " (vertx_http_*, vertx_eventbus_*); they cost CPU on every call.") boolean vertxMeters,
    @Key(name = "metrics.tenantLabels", value = "false", doc = "Label call meters with the declared tenant's name"
        + " (declared tenants only; others are '-').") boolean tenantLabels,
    @Key(name = "metrics.maxToolLabels", value = "500", min = 0, doc = "At most this many tool names (from the"
        + " upstreams' tools/list) label the per-tool meters; other names count as 'other'.") int maxToolLabels,
    @Key(name = "health", inline = true, doc = "How every upstream is watched; upstreams.<name>.health overrides.")
    HealthOptions health,
    @Key(name = "health.readyNeedsHealthyUpstream", value = "false", doc = "/readyz also waits for a Healthy or"
        + " Degraded upstream.") boolean readyNeedsHealthyUpstream,
    @Key(name = "pool", inline = true, doc = "The pool limits of every upstream; upstreams.<name>.pool overrides.")
    SessionPoolOptions pool,
    @Key(name = "pool.identityHeaders", value = "[authorization, x-tenant-id, x-user-id, x-api-key, cookie]",
        doc = "Headers whose values identify a tenant, hashed in this order.") List<String> identityHeaders,
    @Key(name = "pool.anonymous", value = "shared", doc = "Requests without any identity header: shared (one"
        + " anonymous tenant) or reject (401).") Anonymous anonymous,
    @Key(name = "pool.evictionInterval", value = "5s", unit = MILLIS, restart = true,
        doc = "How often idle sessions are reaped and empty pool keys evicted.") long evictionIntervalMs,
    @Key(value = "off", doc = "Each tenant's requests: 50/s, 300/m, 1000/h, {rate, burst} or off.") RateLimit rateLimit,
    @Key(name = "admin.token", secret = true, doc = "The bearer token that opens /admin/*; empty keeps it off.")
    String adminToken,
    @Key(name = "stdio.workRoot", pattern = "/.*", must = "be an absolute directory path", restart = true,
        doc = "Each stdio process without a cwd gets a fresh directory here (default: junction-stdio in"
        + " java.io.tmpdir).") String stdioWorkRoot,
    @Key(doc = "How clients authenticate (required), and the declared tenants.") AuthOptions auth,
    @Key(optional = true, restart = true, doc = "A separate listener for /healthz, /readyz, /metrics and /admin, which"
        + " then leave the MCP port; absent: everything on one port.") ManagementOptions management,
    @Key(restart = true, doc = "What SIGTERM does: keep serving for drainDelay, then let in-flight calls finish"
        + " within timeout.") ShutdownOptions shutdown,
    @Key(restart = true, doc = "Cluster mode: nodes share sessions over the clustered event bus (README, \"Cluster"
        + " mode\").") ClusterOptions cluster,
    @Key(restart = true, doc = "Multi round-trip requests bridged between 2025 upstreams and 2026-07-28 clients.")
    MrtrOptions mrtr,
    @Key(restart = true, doc = "OpenTelemetry tracing over OTLP/HTTP, off by default (README, \"Observe it\").")
    TracingOptions tracing,
    @Key(restart = true, doc = "How the config file is watched; a valid change applies without a restart (README,"
        + " \"Changing the config at runtime\").") ReloadOptions reload,
    @Key(pattern = ConfigLoader.NAMES, doc = "The upstream MCP servers by name ([a-z0-9-]+, used in"
        + " /servers/<name>/mcp), in the order that decides prefixes.") Map<String, UpstreamOptions> upstreams,
    @Key(pattern = ConfigLoader.NAMES, doc = "Selections of upstreams and tools, served at /v/<name>/mcp.")
    Map<String, VirtualServerOptions> virtualServers) implements Binder.Checked {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  /** What requests without identity get. */
  public enum Anonymous { SHARED, REJECT }

  public JunctionConfig {
    shards = shards > 0 ? shards : defaultShards();
    ingressInstances = ingressInstances > 0 ? ingressInstances : defaultShards();
    identityHeaders = identityHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    adminToken = adminToken == null || adminToken.isEmpty() ? null : adminToken;
    stdioWorkRoot = stdioWorkRoot != null ? stdioWorkRoot : defaultStdioWorkRoot();
    management = management == null || management.host() != null ? management
        : new ManagementOptions(host, management.port());
  }

  /** A loopback address written as a literal or as {@code localhost}; other names are not trusted to be one. */
  static boolean loopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return "localhost".equalsIgnoreCase(h) || LOOPBACK_V4.matcher(h).matches() || "::1".equals(h)
        || "0:0:0:0:0:0:0:1".equals(h);
  }

  /** Where stdio processes get their working directories: {@code junction-stdio} in the JVM's temp dir. */
  public static String defaultStdioWorkRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"), "junction-stdio").toAbsolutePath().toString();
  }

  /** One shard per core: each shard is one event-loop context. */
  private static int defaultShards() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** True when requests without identity share the {@code anonymous} tenant; false rejects them. */
  public boolean anonymousShared() {
    return anonymous != Anonymous.REJECT;
  }

  /** The configuration as JSON, with secrets masked. */
  public JsonObject toJson() {
    return (JsonObject) Show.show(this, null);
  }

  /** The values as the file writes them, secrets masked (a record's own toString would show them). */
  @Override
  public String toString() {
    return Show.show(this, null).toString();
  }

  /** What refers from one section to another. */
  @Override
  public void check(Binder.Section s) {
    if (identityHeaders.isEmpty()) {
      s.error("pool.identityHeaders", "must name at least one header");
    }
    if (!s.has("auth")) {
      s.error("auth", "required. Configure auth.oauth or auth.apiKeys, or set auth.unauthenticated: allow to take"
          + " tenants from identity headers without checking them (development, or behind an authenticating proxy)");
    }
    if (management != null && management.port() != 0 && management.port() == port) {
      s.error("management.port", "must differ from listen.port (" + port + ")");
    }
    // allow takes tenants from headers anyone can set: on a loopback address only local programs
    // reach the port, on any other anyone on the network does, unless a proxy authenticates first
    if (auth.unauthenticated() && !auth.allowRemoteUnauthenticated() && !loopback(host)) {
      s.error("auth.unauthenticated", "allow on listen.host " + host + ", which is not a loopback address, lets"
          + " anyone who reaches the port in as any tenant. Configure auth.oauth or auth.apiKeys, listen on"
          + " 127.0.0.1, or set auth.allowRemoteUnauthenticated: true if an authenticating proxy stands in front");
    }
    Set<String> names = upstreams.keySet();
    upstreams.forEach((name, u) -> {
      String at = "upstreams." + name;
      for (int i = 0; i < u.failover().size(); i++) {
        String member = u.failover().get(i);
        if (member.equals(name)) {
          s.error(at + ".failover[" + i + "]", "an upstream cannot be its own backup");
        } else if (u.failover().indexOf(member) != i) {
          s.error(at + ".failover[" + i + "]", "'" + member + "' is listed twice");
        } else {
          known(s, at + ".failover[" + i + "]", member, names);
        }
      }
      Mode mode = u.auth().mode();
      if ((mode == Mode.TOKEN_EXCHANGE || mode == Mode.PASSTHROUGH) && !auth.oauth()) {
        s.error(at + ".auth.mode", mode == Mode.PASSTHROUGH ? "passthrough needs client tokens: configure auth.oauth"
            : "token-exchange needs client tokens to exchange: configure auth.oauth");
      }
    });
    virtualServers.forEach((name, v) -> known(s, "virtualServers." + name + ".upstreams", v.upstreams(), names));
    auth.tenants().forEach((name, t) -> known(s, "auth.tenants." + name + ".upstreams", t.upstreams(), names));
  }

  private static void known(Binder.Section s, String at, List<String> members, Set<String> names) {
    for (int i = 0; i < members.size(); i++) {
      known(s, at + "[" + i + "]", members.get(i), names);
    }
  }

  private static void known(Binder.Section s, String at, String member, Set<String> names) {
    if (!names.contains(member)) {
      s.error(at, "no upstream named '" + member + "'");
    }
  }
}
