package dev.junction.config;

import static dev.junction.config.Key.Unit.MILLIS;

import dev.junction.config.UpstreamAuthOptions.Mode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The whole configuration, as {@link ConfigLoader} binds it from the file. Deeply immutable, so
 * every verticle context may read the same instance.
 */
public record JunctionConfig(
    @Key(doc = "Where the gateway listens.") Listen listen,
    @Key(doc = "Pool shards (default: one per core); a tenant's sessions all live on one shard.") int shards,
    @Key(doc = "HTTP server instances (default: one per core).") int ingressInstances,
    @Key(name = "sessionIdleTimeout", value = "30m", unit = MILLIS,
        doc = "A downstream session idle this long is ended (an open GET stream is activity).") long sessionIdleTimeoutMs,
    @Key(doc = "Origins allowed besides loopback ones; a request with another Origin gets 403.")
    List<String> allowedOrigins,
    @Key(doc = "Host names allowed besides loopback names, IP addresses, listen.host and auth.resource's host;"
        + " ['*'] turns the check off.") List<String> allowedHosts,
    @Key(doc = "Client connections and request bodies.") LimitsOptions limits,
    @Key(value = "open", doc = "Aggregate lists: open leaves a failing upstream out, closed fails.")
    FailureMode failureMode,
    @Key(name = "listCacheTtl", value = "60s", unit = MILLIS, min = 0, must = "be a duration such as 30s"
        + " (0 turns the cache off)", doc = "How long list pages are cached unless the upstream sends ttlMs; 0: off.")
    long listCacheTtlMs,
    @Key(name = "sseKeepAlive", value = "15s", unit = MILLIS, doc = "An SSE comment after this much silence; a call"
        + " unanswered this long becomes an SSE stream.") long sseKeepAliveMs,
    @Key(name = "secretRefreshInterval", value = "30s", unit = MILLIS, doc = "How often headerFiles are read again.")
    long secretRefreshIntervalMs,
    @Key(doc = "Meters.") Metrics metrics,
    @Key(name = "health", doc = "How upstreams are watched; upstreams.<name>.health overrides any of these but"
        + " readyNeedsHealthyUpstream.") Health healthSection,
    @Key(name = "pool", doc = "Upstream session pools, per pool key (tenant, upstream, config hash);"
        + " upstreams.<name>.pool overrides the limits.") Pool poolSection,
    @Key(value = "off", doc = "Each tenant's requests: 50/s, 300/m, 1000/h, {rate, burst} or off.") RateLimit rateLimit,
    @Key(doc = "The /admin endpoints.") Admin admin,
    @Key(doc = "stdio upstream processes.") Stdio stdio,
    @Key(doc = "How clients authenticate (required), and the declared tenants.") AuthOptions auth,
    @Key(pattern = ConfigLoader.NAMES, doc = "The upstream MCP servers by name ([a-z0-9-]+, used in"
        + " /servers/<name>/mcp), in the order that decides prefixes.") Map<String, UpstreamOptions> upstreams,
    @Key(pattern = ConfigLoader.NAMES, doc = "Selections of upstreams and tools, served at /v/<name>/mcp.")
    Map<String, VirtualServerOptions> virtualServers) implements Binder.Checked {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** At most this many pool keys are evicted per run, so a burst of expiries cannot stall a shard. */
  public static final int MAX_EVICTIONS_PER_RUN = 2_000;

  public JunctionConfig {
    shards = shards > 0 ? shards : defaultShards();
    ingressInstances = ingressInstances > 0 ? ingressInstances : defaultShards();
  }

  /** The listen address. */
  public record Listen(
      @Key(value = DEFAULT_HOST, doc = "The address to listen on.") String host,
      @Key(value = "" + DEFAULT_PORT, min = 0, max = 65535, must = "be 0..65535, got %s",
          doc = "The port; 0 picks a free one.") int port) {
  }

  /** The {@code metrics} section. */
  public record Metrics(@Key(value = "false", doc = "Add Vert.x's own per-request meters (vertx_http_*,"
      + " vertx_eventbus_*); they cost CPU on every call.") boolean vertx) {
  }

  /** The {@code health} section: the options of every upstream, and one of the gateway. */
  public record Health(@Key(inline = true, doc = "The options of every upstream.") HealthOptions options,
      @Key(value = "false", doc = "/readyz also waits for a Healthy or Degraded upstream.")
      boolean readyNeedsHealthyUpstream) {
  }

  /** The {@code pool} section: the limits of every upstream, and how tenants are told apart. */
  public record Pool(@Key(inline = true, doc = "The limits of every upstream.") SessionPoolOptions limits,
      @Key(value = "[authorization, x-tenant-id, x-user-id, x-api-key, cookie]", doc = "Headers whose values"
          + " identify a tenant, hashed in this order.") List<String> identityHeaders,
      @Key(value = "shared", doc = "Requests without any identity header: shared (one anonymous tenant) or"
          + " reject (401).") Anonymous anonymous,
      @Key(name = "evictionInterval", value = "5s", unit = MILLIS,
          doc = "How often idle sessions are reaped and empty pool keys evicted.") long evictionIntervalMs)
      implements Binder.Checked {
    public Pool {
      identityHeaders = identityHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public void check(Binder.Section s) {
      if (identityHeaders.isEmpty()) {
        s.error("identityHeaders", "must name at least one header");
      }
    }
  }

  /** What requests without identity get. */
  public enum Anonymous { SHARED, REJECT }

  /** The {@code admin} section. */
  public record Admin(@Key(secret = true, doc = "The bearer token that opens /admin/*; empty keeps it off (404).")
      String token) {
    public Admin {
      token = token == null || token.isEmpty() ? null : token;
    }
  }

  /** The {@code stdio} section. */
  public record Stdio(@Key(pattern = "/.*", must = "be an absolute directory path", doc = "Each stdio process"
      + " without a cwd gets a fresh directory here (default: junction-stdio in java.io.tmpdir).") String workRoot) {
    public Stdio {
      workRoot = workRoot != null ? workRoot : defaultStdioWorkRoot();
    }
  }

  /** Where stdio processes get their working directories: {@code junction-stdio} in the JVM's temp dir. */
  public static String defaultStdioWorkRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"), "junction-stdio").toAbsolutePath().toString();
  }

  /** One shard per core: each shard is one event-loop context. */
  public static int defaultShards() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  public String host() {
    return listen.host();
  }

  /** The listen port; 0 picks a free one (tests). */
  public int port() {
    return listen.port();
  }

  public boolean vertxMeters() {
    return metrics.vertx();
  }

  /** The global health options; each upstream's {@link UpstreamOptions#health()} has the overrides. */
  public HealthOptions health() {
    return healthSection.options();
  }

  public boolean readyNeedsHealthyUpstream() {
    return healthSection.readyNeedsHealthyUpstream();
  }

  /** The global pool limits; each upstream's {@link UpstreamOptions#pool()} has the overrides. */
  public SessionPoolOptions pool() {
    return poolSection.limits();
  }

  /** Lower-cased identity header names, hashed in this order into the tenant key. */
  public List<String> identityHeaders() {
    return poolSection.identityHeaders();
  }

  public boolean anonymousShared() {
    return poolSection.anonymous() != Anonymous.REJECT;
  }

  public long evictionIntervalMs() {
    return poolSection.evictionIntervalMs();
  }

  /** The admin token, or null when admin endpoints are off. */
  public String adminToken() {
    return admin.token();
  }

  public String stdioWorkRoot() {
    return stdio.workRoot();
  }

  /** The configuration as JSON, with secrets masked. */
  public JsonObject toJson() {
    return (JsonObject) ConfigJson.show(this, null);
  }

  /** What refers from one section to another. */
  @Override
  public void check(Binder.Section s) {
    if (!s.has("auth")) {
      s.error("auth", "required. Configure auth.oauth or auth.apiKeys, or set auth.unauthenticated: allow to take"
          + " tenants from identity headers without checking them (development, or behind an authenticating proxy)");
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
