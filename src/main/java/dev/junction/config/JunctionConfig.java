package dev.junction.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole configuration. Built and validated by {@link ConfigLoader}; read-only once the
 * gateway starts, so every verticle may read the same instance.
 */
public final class JunctionConfig {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** A downstream session with no traffic for this long is ended. */
  public static final long DEFAULT_SESSION_IDLE_TIMEOUT_MS = 30 * 60_000;
  /** How long a list page stays cached when the upstream gives no ttlMs (list_changed clears it sooner). */
  public static final long DEFAULT_LIST_CACHE_TTL_MS = 60_000;
  /** Headers whose values identify a tenant, in the order they are hashed. */
  public static final List<String> DEFAULT_IDENTITY_HEADERS =
      List.of("authorization", "x-tenant-id", "x-user-id", "x-api-key", "cookie");
  /** How often header files (mounted secrets) are read again. */
  public static final long DEFAULT_SECRET_REFRESH_INTERVAL_MS = 30_000;
  /** How often idle sessions are reaped and empty pool keys evicted. */
  public static final long DEFAULT_EVICTION_INTERVAL_MS = 5_000;
  /** At most this many pool keys are evicted per run, so a burst of expiries cannot stall a shard. */
  public static final int MAX_EVICTIONS_PER_RUN = 2_000;
  /** How often an SSE stream that has nothing to say gets a comment, so proxies keep it open. */
  public static final long DEFAULT_SSE_KEEP_ALIVE_MS = 15_000;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int shards = defaultShards();
  private int ingressInstances = defaultShards();
  private long sessionIdleTimeoutMs = DEFAULT_SESSION_IDLE_TIMEOUT_MS;
  private List<String> allowedOrigins = List.of();
  private List<String> allowedHosts = List.of();
  private LimitsOptions limits = new LimitsOptions();
  private FailureMode failureMode = FailureMode.OPEN;
  private long listCacheTtlMs = DEFAULT_LIST_CACHE_TTL_MS;
  private SessionPoolOptions pool = new SessionPoolOptions();
  private List<String> identityHeaders = DEFAULT_IDENTITY_HEADERS;
  private boolean anonymousShared = true;
  private long evictionIntervalMs = DEFAULT_EVICTION_INTERVAL_MS;
  private String adminToken;
  private long secretRefreshIntervalMs = DEFAULT_SECRET_REFRESH_INTERVAL_MS;
  private HealthOptions health = new HealthOptions();
  private AuthOptions auth = new AuthOptions();
  private boolean readyNeedsHealthyUpstream;
  private boolean vertxMeters;
  private ClusterOptions cluster = new ClusterOptions();
  private long sseKeepAliveMs = DEFAULT_SSE_KEEP_ALIVE_MS;
  private String stdioWorkRoot = defaultStdioWorkRoot();
  private RateLimit rateLimit = RateLimit.OFF;
  private final Map<String, UpstreamOptions> upstreams = new LinkedHashMap<>();
  private final Map<String, VirtualServerOptions> virtualServers = new LinkedHashMap<>();

  /** Where stdio processes get their working directories: {@code junction-stdio} in the JVM's temp dir. */
  public static String defaultStdioWorkRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"), "junction-stdio").toAbsolutePath().toString();
  }

  /**
   * The directory under which each stdio process without a {@code cwd} gets a fresh working
   * directory of its own, removed once the process has exited.
   */
  public String stdioWorkRoot() {
    return stdioWorkRoot;
  }

  public JunctionConfig setStdioWorkRoot(String stdioWorkRoot) {
    if (stdioWorkRoot == null || !Path.of(stdioWorkRoot).isAbsolute()) {
      throw new IllegalArgumentException("stdio.workRoot must be an absolute path");
    }
    this.stdioWorkRoot = stdioWorkRoot;
    return this;
  }

  /** One shard per core: each shard is one event-loop context. */
  public static int defaultShards() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  public String host() {
    return host;
  }

  public JunctionConfig setHost(String host) {
    this.host = host;
    return this;
  }

  /** The listen port; 0 picks a free one (tests). */
  public int port() {
    return port;
  }

  public JunctionConfig setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    this.port = port;
    return this;
  }

  /** The number of pool shards. A tenant's sessions all live on one shard. */
  public int shards() {
    return shards;
  }

  public JunctionConfig setShards(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1");
    }
    this.shards = shards;
    return this;
  }

  /** The number of ingress verticle instances (HTTP server event loops). */
  public int ingressInstances() {
    return ingressInstances;
  }

  public JunctionConfig setIngressInstances(int ingressInstances) {
    if (ingressInstances < 1) {
      throw new IllegalArgumentException("ingressInstances must be at least 1");
    }
    this.ingressInstances = ingressInstances;
    return this;
  }

  public long sessionIdleTimeoutMs() {
    return sessionIdleTimeoutMs;
  }

  /** A downstream session idle for this long is ended and its upstream sessions closed. */
  public JunctionConfig setSessionIdleTimeoutMs(long ms) {
    if (ms <= 0) {
      throw new IllegalArgumentException("sessionIdleTimeout must be positive");
    }
    this.sessionIdleTimeoutMs = ms;
    return this;
  }

  /**
   * Origins allowed besides loopback ones. A request without Origin is allowed (not a browser);
   * one whose Origin is neither loopback nor listed gets 403.
   */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  public JunctionConfig setAllowedOrigins(List<String> origins) {
    this.allowedOrigins = List.copyOf(origins);
    return this;
  }

  /**
   * Host names allowed in the {@code Host} header besides the defaults (loopback names, the listen
   * host, the host of {@code auth.resource}, IP addresses); {@code *} turns the check off.
   */
  public List<String> allowedHosts() {
    return allowedHosts;
  }

  public JunctionConfig setAllowedHosts(List<String> hosts) {
    this.allowedHosts = List.copyOf(hosts);
    return this;
  }

  /** Body sizes and budget, header-read and idle timeouts of client connections. */
  public LimitsOptions limits() {
    return limits;
  }

  JunctionConfig setLimits(LimitsOptions limits) {
    this.limits = limits;
    return this;
  }

  /** What aggregate lists do when an upstream fails: leave it out (default) or fail. */
  public FailureMode failureMode() {
    return failureMode;
  }

  public JunctionConfig setFailureMode(FailureMode failureMode) {
    this.failureMode = java.util.Objects.requireNonNull(failureMode);
    return this;
  }

  public long listCacheTtlMs() {
    return listCacheTtlMs;
  }

  /** How long list pages stay cached when the upstream sets no ttlMs; 0 turns caching off. */
  public JunctionConfig setListCacheTtlMs(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("listCacheTtl must not be negative");
    }
    this.listCacheTtlMs = ms;
    return this;
  }

  /** The global pool options (per-upstream overrides live on {@link UpstreamOptions#pool()}). */
  public SessionPoolOptions pool() {
    return pool;
  }

  JunctionConfig setPool(SessionPoolOptions pool) {
    this.pool = pool;
    return this;
  }

  /** Lower-cased identity header names, hashed in this order into the tenant key. */
  public List<String> identityHeaders() {
    return identityHeaders;
  }

  public JunctionConfig setIdentityHeaders(List<String> names) {
    this.identityHeaders = names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList();
    return this;
  }

  /** True when requests without identity share the {@code anonymous} tenant; false rejects them. */
  public boolean anonymousShared() {
    return anonymousShared;
  }

  public JunctionConfig setAnonymousShared(boolean shared) {
    this.anonymousShared = shared;
    return this;
  }

  public long evictionIntervalMs() {
    return evictionIntervalMs;
  }

  public JunctionConfig setEvictionIntervalMs(long ms) {
    if (ms <= 0) {
      throw new IllegalArgumentException("evictionInterval must be positive");
    }
    this.evictionIntervalMs = ms;
    return this;
  }

  /** The bearer token that opens {@code /admin/*}; null keeps admin endpoints off (404). */
  public String adminToken() {
    return adminToken;
  }

  public JunctionConfig setAdminToken(String token) {
    this.adminToken = token == null || token.isEmpty() ? null : token;
    return this;
  }

  public long secretRefreshIntervalMs() {
    return secretRefreshIntervalMs;
  }

  /** How often {@code headerFiles} are read again. */
  public JunctionConfig setSecretRefreshIntervalMs(long ms) {
    if (ms <= 0) {
      throw new IllegalArgumentException("secretRefreshInterval must be positive");
    }
    this.secretRefreshIntervalMs = ms;
    return this;
  }

  /** How clients authenticate and which tenants exist. */
  public AuthOptions auth() {
    return auth;
  }

  JunctionConfig setAuth(AuthOptions auth) {
    this.auth = auth;
    return this;
  }

  /** The global health options; each upstream's {@link UpstreamOptions#health()} has the overrides. */
  public HealthOptions health() {
    return health;
  }

  JunctionConfig setHealth(HealthOptions health) {
    this.health = health;
    return this;
  }

  /** Whether {@code /readyz} also waits until at least one upstream is healthy. */
  public boolean readyNeedsHealthyUpstream() {
    return readyNeedsHealthyUpstream;
  }

  public JunctionConfig setReadyNeedsHealthyUpstream(boolean needs) {
    this.readyNeedsHealthyUpstream = needs;
    return this;
  }

  /**
   * Whether Vert.x's own per-request meters ({@code vertx_http_server_*}, {@code vertx_http_client_*},
   * {@code vertx_eventbus_*}) are kept. Off by default: Junction's own meters cover requests,
   * upstream calls and sessions, and the Vert.x ones cost a registry lookup per request and per
   * event-bus handler (66 against 58 µs of gateway CPU per call in BENCHMARKS.md's A/B run).
   */
  public boolean vertxMeters() {
    return vertxMeters;
  }

  public JunctionConfig setVertxMeters(boolean on) {
    this.vertxMeters = on;
    return this;
  }

  /** Cluster mode ({@code cluster:}); off by default. */
  public ClusterOptions cluster() {
    return cluster;
  }

  public JunctionConfig setCluster(ClusterOptions cluster) {
    this.cluster = cluster;
    return this;
  }

  /**
   * How long a downstream SSE stream may stay silent before a keep-alive comment; a call that
   * has not been answered by then turns into an SSE stream, so that it gets them too.
   */
  public long sseKeepAliveMs() {
    return sseKeepAliveMs;
  }

  public JunctionConfig setSseKeepAliveMs(long ms) {
    if (ms <= 0) {
      throw new IllegalArgumentException("sseKeepAlive must be positive");
    }
    this.sseKeepAliveMs = ms;
    return this;
  }

  /** Virtual servers by name, served at {@code /v/<name>/mcp}. */
  public Map<String, VirtualServerOptions> virtualServers() {
    return Collections.unmodifiableMap(virtualServers);
  }

  public JunctionConfig addVirtualServer(VirtualServerOptions server) {
    virtualServers.put(server.name(), server);
    return this;
  }

  /** Each tenant's token bucket for its requests, unless its {@code auth.tenants} entry has one; off by default. */
  public RateLimit rateLimit() {
    return rateLimit;
  }

  public JunctionConfig setRateLimit(RateLimit rateLimit) {
    this.rateLimit = Objects.requireNonNull(rateLimit);
    return this;
  }

  /** The upstreams in config order (the order decides prefixes). */
  public Map<String, UpstreamOptions> upstreams() {
    return Collections.unmodifiableMap(upstreams);
  }

  public JunctionConfig addUpstream(UpstreamOptions upstream) {
    upstreams.put(upstream.name(), upstream);
    return this;
  }

  /** The configuration as JSON, with secrets masked. */
  public JsonObject toJson() {
    JsonObject ups = new JsonObject();
    upstreams.forEach((name, u) -> ups.put(name, u.toJson()));
    JsonObject virtual = new JsonObject();
    virtualServers.forEach((name, v) -> virtual.put(name, v.toJson()));
    return new JsonObject()
        .put("listen", new JsonObject().put("host", host).put("port", port))
        .put("shards", shards)
        .put("ingressInstances", ingressInstances)
        .put("sessionIdleTimeout", Durations.format(sessionIdleTimeoutMs))
        .put("allowedOrigins", allowedOrigins)
        .put("allowedHosts", allowedHosts)
        .put("limits", limits.toJson())
        .put("failureMode", failureMode.key())
        .put("pool", pool.toJson().put("identityHeaders", identityHeaders)
            .put("anonymous", anonymousShared ? "shared" : "reject")
            .put("evictionInterval", Durations.format(evictionIntervalMs)))
        .put("admin", new JsonObject().put("token", adminToken == null ? null : "***"))
        .put("listCacheTtl", Durations.format(listCacheTtlMs))
        .put("health", health.toJson().put("readyNeedsHealthyUpstream", readyNeedsHealthyUpstream))
        .put("sseKeepAlive", Durations.format(sseKeepAliveMs))
        .put("metrics", new JsonObject().put("vertx", vertxMeters))
        .put("cluster", cluster.toJson())
        .put("stdio", new JsonObject().put("workRoot", stdioWorkRoot))
        .put("auth", auth.toJson())
        .put("rateLimit", rateLimit.toString())
        .put("upstreams", ups)
        .put("virtualServers", virtual);
  }
}
