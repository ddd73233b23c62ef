package dev.junction.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One upstream MCP server, as written under {@code upstreams.<name>}. Built and validated by
 * {@link ConfigLoader}; read-only once the gateway starts, so any thread may read it.
 */
public final class UpstreamOptions {
  /** An environment variable name, as {@code inheritEnv} takes it. */
  public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** The default time an upstream has to answer one request. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
  /** The default time to open a connection or start a process and finish initialize. */
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  /** The default cap on the processes of one stdio upstream, across all shards and tenants. */
  public static final int DEFAULT_MAX_PROCESSES = 64;
  /** The default number of processes of one stdio upstream that one shard starts at once. */
  public static final int DEFAULT_START_CONCURRENCY = 2;
  /** The default number of stderr lines kept per stdio upstream for the admin view. */
  public static final int DEFAULT_STDERR_LINES = 200;
  /** The default time an upstream has to answer a list on the aggregate endpoint before it is left out. */
  public static final long DEFAULT_LIST_TIMEOUT_MS = 5_000;
  /** The default limit on one SSE event of an HTTP upstream: 16 MiB. */
  public static final int DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024;
  /** The default limit on one JSON response body of an HTTP upstream: 16 MiB. */
  public static final int DEFAULT_MAX_RESPONSE_SIZE = 16 * 1024 * 1024;
  /** The largest value either size limit may take (a body is held in one buffer). */
  public static final int MAX_SIZE_LIMIT = 1024 * 1024 * 1024;

  /** How the gateway reaches the upstream. */
  public enum Transport {
    STDIO("stdio"), STREAMABLE_HTTP("streamable-http"), SSE("sse");

    private final String key;

    Transport(String key) {
      this.key = key;
    }

    /** The config spelling. */
    public String key() {
      return key;
    }

    static Transport of(String key) {
      for (Transport t : values()) {
        if (t.key.equals(key)) {
          return t;
        }
      }
      return null;
    }
  }

  private final String name;
  private Transport transport;
  private List<String> command = List.of();
  private Map<String, String> env = Map.of();
  private List<String> inheritEnv = List.of();
  private String cwd;
  private String url;
  private Map<String, String> headers = Map.of();
  private Map<String, String> headerFiles = Map.of();
  private String alias;
  private String prefix;
  private long listTimeoutMs = DEFAULT_LIST_TIMEOUT_MS;
  private Sharing sharing = Sharing.AUTO;
  private SessionPoolOptions pool = new SessionPoolOptions();
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private HealthOptions health = new HealthOptions();
  private List<String> failover = List.of();
  private Map<String, Long> toolTimeouts = Map.of();
  private int maxProcesses = DEFAULT_MAX_PROCESSES;
  private int startConcurrency = DEFAULT_START_CONCURRENCY;
  private int stderrLines = DEFAULT_STDERR_LINES;
  private int maxEventSize = DEFAULT_MAX_EVENT_SIZE;
  private int maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;
  private UpstreamAuthOptions auth = new UpstreamAuthOptions();
  private RateLimit rateLimit = RateLimit.OFF;
  private Map<String, RateLimit> toolRateLimits = Map.of();

  public UpstreamOptions(String name, Transport transport) {
    this.name = name;
    this.transport = transport;
  }

  /** The name: {@code [a-z0-9-]+}, used in {@code /servers/<name>/mcp}. */
  public String name() {
    return name;
  }

  public Transport transport() {
    return transport;
  }

  /** stdio: the program and its arguments. */
  public List<String> command() {
    return command;
  }

  public UpstreamOptions setCommand(List<String> command) {
    this.command = List.copyOf(command);
    return this;
  }

  /** stdio: variables added to the child's environment. */
  public Map<String, String> env() {
    return env;
  }

  public UpstreamOptions setEnv(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return this;
  }

  /**
   * stdio: names of the gateway's environment variables passed on to the child. A child gets only
   * {@code PATH}, {@code HOME}, {@code LANG}, {@code TMPDIR}, these, and {@link #env()}.
   */
  public List<String> inheritEnv() {
    return inheritEnv;
  }

  public UpstreamOptions setInheritEnv(List<String> inheritEnv) {
    for (String name : inheritEnv) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("inheritEnv: not a variable name: " + name);
      }
    }
    this.inheritEnv = List.copyOf(inheritEnv);
    return this;
  }

  /** stdio: the working directory, or null for a fresh one per process under {@code stdio.workRoot}. */
  public String cwd() {
    return cwd;
  }

  public UpstreamOptions setCwd(String cwd) {
    this.cwd = cwd;
    return this;
  }

  /** streamable-http and sse: the endpoint URL. */
  public String url() {
    return url;
  }

  public UpstreamOptions setUrl(String url) {
    this.url = url;
    return this;
  }

  /** streamable-http and sse: headers sent on every request (values may be secrets: never logged). */
  public Map<String, String> headers() {
    return headers;
  }

  public UpstreamOptions setHeaders(Map<String, String> headers) {
    this.headers = Map.copyOf(headers);
    return this;
  }

  /**
   * streamable-http: headers whose values are read from files (mounted secrets), re-read every
   * {@code secretRefreshInterval}; a changed value moves new calls to new sessions.
   */
  public Map<String, String> headerFiles() {
    return headerFiles;
  }

  public UpstreamOptions setHeaderFiles(Map<String, String> headerFiles) {
    this.headerFiles = Map.copyOf(headerFiles);
    return this;
  }

  /**
   * The prefix on aggregate endpoints: the alias when it is free, otherwise the name (assigned
   * in config order by {@code routing.Prefixes}).
   */
  public String prefix() {
    return prefix != null ? prefix : name;
  }

  UpstreamOptions setPrefix(String prefix) {
    this.prefix = prefix;
    return this;
  }

  public long listTimeoutMs() {
    return listTimeoutMs;
  }

  /** How long an aggregate list waits for this upstream before leaving it out. */
  public UpstreamOptions setListTimeoutMs(long listTimeoutMs) {
    if (listTimeoutMs <= 0) {
      throw new IllegalArgumentException("listTimeout must be positive");
    }
    this.listTimeoutMs = listTimeoutMs;
    return this;
  }

  public String alias() {
    return alias;
  }

  public UpstreamOptions setAlias(String alias) {
    this.alias = alias;
    return this;
  }

  /** How the upstream's sessions are shared. */
  public Sharing sharing() {
    return sharing;
  }

  public UpstreamOptions setSharing(Sharing sharing) {
    this.sharing = java.util.Objects.requireNonNull(sharing);
    return this;
  }

  /** The pool limits for this upstream: the global ones with this upstream's overrides. */
  public SessionPoolOptions pool() {
    return pool;
  }

  UpstreamOptions setPool(SessionPoolOptions pool) {
    this.pool = pool;
    return this;
  }

  public long requestTimeoutMs() {
    return requestTimeoutMs;
  }

  /** The time the upstream has to answer one request before the client gets -32001. */
  public UpstreamOptions setRequestTimeoutMs(long requestTimeoutMs) {
    if (requestTimeoutMs <= 0) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    this.requestTimeoutMs = requestTimeoutMs;
    return this;
  }

  public long connectTimeoutMs() {
    return connectTimeoutMs;
  }

  /** The time to connect (or start the process) and finish initialize. */
  public UpstreamOptions setConnectTimeoutMs(long connectTimeoutMs) {
    if (connectTimeoutMs <= 0) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    this.connectTimeoutMs = connectTimeoutMs;
    return this;
  }

  /** Probes, failure threshold, reconnect backoff and failback: the global options with this upstream's overrides. */
  public HealthOptions health() {
    return health;
  }

  UpstreamOptions setHealth(HealthOptions health) {
    this.health = health;
    return this;
  }

  /**
   * The backups, in order: when this upstream is unhealthy its traffic goes to the first healthy
   * one, and comes back once this one has been healthy for {@code health.failbackAfter}.
   */
  public List<String> failover() {
    return failover;
  }

  public UpstreamOptions setFailover(List<String> failover) {
    this.failover = List.copyOf(failover);
    return this;
  }

  /** Request timeouts of single tools (the upstream's own names), overriding {@code requestTimeout}. */
  public Map<String, Long> toolTimeouts() {
    return toolTimeouts;
  }

  public UpstreamOptions setToolTimeouts(Map<String, Long> toolTimeouts) {
    this.toolTimeouts = Map.copyOf(toolTimeouts);
    return this;
  }

  /** The time a call of this tool (the upstream's own name) has to answer. */
  public long requestTimeoutMs(String tool) {
    Long own = tool == null ? null : toolTimeouts.get(tool);
    return own != null ? own : requestTimeoutMs;
  }

  /** stdio: the most processes of this upstream that may run at once, over all tenants and shards. */
  public int maxProcesses() {
    return maxProcesses;
  }

  public UpstreamOptions setMaxProcesses(int maxProcesses) {
    if (maxProcesses < 1) {
      throw new IllegalArgumentException("maxProcesses must be at least 1");
    }
    this.maxProcesses = maxProcesses;
    return this;
  }

  /**
   * stdio: how many processes of this upstream one shard starts at once (spawn to initialize);
   * further starts wait their turn, so a burst of new sessions does not starve itself of CPU.
   */
  public int startConcurrency() {
    return startConcurrency;
  }

  public UpstreamOptions setStartConcurrency(int startConcurrency) {
    if (startConcurrency < 1) {
      throw new IllegalArgumentException("startConcurrency must be at least 1");
    }
    this.startConcurrency = startConcurrency;
    return this;
  }

  /** stdio: how many of the newest stderr lines are kept for {@code GET /admin/upstreams}; 0 keeps none. */
  public int stderrLines() {
    return stderrLines;
  }

  public UpstreamOptions setStderrLines(int stderrLines) {
    if (stderrLines < 0) {
      throw new IllegalArgumentException("stderrLines must not be negative");
    }
    this.stderrLines = stderrLines;
    return this;
  }

  /** HTTP: the most bytes one SSE event from the upstream may hold; a larger one fails its call. */
  public int maxEventSize() {
    return maxEventSize;
  }

  public UpstreamOptions setMaxEventSize(int maxEventSize) {
    this.maxEventSize = checkedSize(maxEventSize, "maxEventSize");
    return this;
  }

  /** HTTP: the most bytes one {@code application/json} response body from the upstream may hold. */
  public int maxResponseSize() {
    return maxResponseSize;
  }

  public UpstreamOptions setMaxResponseSize(int maxResponseSize) {
    this.maxResponseSize = checkedSize(maxResponseSize, "maxResponseSize");
    return this;
  }

  private static int checkedSize(int bytes, String key) {
    if (bytes <= 0 || bytes > MAX_SIZE_LIMIT) {
      throw new IllegalArgumentException(key + " must be between 1 byte and 1 GiB");
    }
    return bytes;
  }

  /** How the gateway authenticates to this upstream. */
  public UpstreamAuthOptions auth() {
    return auth;
  }

  UpstreamOptions setAuth(UpstreamAuthOptions auth) {
    this.auth = auth;
    return this;
  }

  /** Each tenant's token bucket for calls to this upstream; {@link RateLimit#OFF} by default. */
  public RateLimit rateLimit() {
    return rateLimit;
  }

  public UpstreamOptions setRateLimit(RateLimit rateLimit) {
    this.rateLimit = Objects.requireNonNull(rateLimit);
    return this;
  }

  /** Each tenant's token bucket for calls of one tool (the upstream's own name); tools not named have none. */
  public Map<String, RateLimit> toolRateLimits() {
    return toolRateLimits;
  }

  public UpstreamOptions setToolRateLimits(Map<String, RateLimit> toolRateLimits) {
    this.toolRateLimits = Map.copyOf(toolRateLimits);
    return this;
  }

  /** The options as JSON, with header and env values masked. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("transport", transport.key());
    if (!command.isEmpty()) {
      json.put("command", new JsonArray(List.copyOf(command)));
    }
    if (!env.isEmpty()) {
      json.put("env", masked(env));
    }
    if (!inheritEnv.isEmpty()) {
      json.put("inheritEnv", new JsonArray(List.copyOf(inheritEnv)));
    }
    if (cwd != null) {
      json.put("cwd", cwd);
    }
    if (url != null) {
      json.put("url", url);
    }
    if (!headers.isEmpty()) {
      json.put("headers", masked(headers));
    }
    if (!headerFiles.isEmpty()) {
      json.put("headerFiles", new JsonObject(new LinkedHashMap<>(headerFiles)));
    }
    if (alias != null) {
      json.put("alias", alias);
    }
    return json.put("prefix", prefix()).put("sharing", sharing.key()).put("pool", pool.toJson())
        .put("listTimeout", Durations.format(listTimeoutMs))
        .put("requestTimeout", Durations.format(requestTimeoutMs))
        .put("connectTimeout", Durations.format(connectTimeoutMs))
        .put("health", health.toJson()).put("failover", new JsonArray(List.copyOf(failover)))
        .put("toolTimeouts", timeouts())
        .put("maxProcesses", maxProcesses).put("startConcurrency", startConcurrency).put("stderrLines", stderrLines)
        .put("maxEventSize", Sizes.key(maxEventSize))
        .put("maxResponseSize", Sizes.key(maxResponseSize))
        .put("auth", auth.toJson())
        .put("rateLimit", rateLimit.toString()).put("toolRateLimits", rateLimits(toolRateLimits));
  }

  private static JsonObject rateLimits(Map<String, RateLimit> limits) {
    JsonObject out = new JsonObject();
    limits.forEach((tool, limit) -> out.put(tool, limit.toString()));
    return out;
  }

  private JsonObject timeouts() {
    JsonObject out = new JsonObject();
    toolTimeouts.forEach((tool, ms) -> out.put(tool, Durations.format(ms)));
    return out;
  }

  private static JsonObject masked(Map<String, String> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.keySet().forEach(k -> out.put(k, "***"));
    return new JsonObject(out);
  }
}
