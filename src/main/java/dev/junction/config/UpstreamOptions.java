package dev.junction.config;

import static dev.junction.binding.Key.Unit.BYTES;
import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Binder;
import dev.junction.binding.Key;
import dev.junction.binding.Show;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One upstream MCP server, as written under {@code upstreams.<name>}. Deeply immutable.
 *
 * @param name the name: {@code [a-z0-9-]+}, used in {@code /servers/<name>/mcp}
 * @param prefix the prefix on aggregate endpoints, assigned in config order by {@code routing.Prefixes}
 */
public record UpstreamOptions(
    String name,
    String prefix,
    @Key(required = true, doc = "How the gateway reaches it: stdio, streamable-http or sse (legacy HTTP+SSE).")
    Transport transport,
    @Key(doc = "stdio: the program and its arguments.") List<String> command,
    @Key(secret = true, doc = "stdio: variables added to the child's environment.") Map<String, String> env,
    @Key(pattern = "[A-Za-z_][A-Za-z0-9_]*", must = "be a variable name ([A-Za-z_][A-Za-z0-9_]*), not a value",
        doc = "stdio: names of the gateway's variables passed on to the child (names only).") List<String> inheritEnv,
    @Key(doc = "stdio: the working directory (default: a fresh one per process under stdio.workRoot).") String cwd,
    @Key(pattern = ConfigLoader.URL, must = "be an http:// or https:// URL", doc = "HTTP: the endpoint URL.")
    String url,
    @Key(secret = true, doc = "HTTP: headers sent on every request (never logged).") Map<String, String> headers,
    @Key(doc = "HTTP: headers whose values are read from files (mounted secrets), read again every"
        + " secretRefreshInterval.") Map<String, String> headerFiles,
    @Key(pattern = ConfigLoader.NAMES, must = "match [a-z0-9-]+ ('_' separates the prefix from the name)",
        doc = "The prefix on /mcp (default: the name).") String alias,
    @Key(value = "auto", doc = "How sessions are shared: auto, tenant, client or stateless.") Sharing sharing,
    @Key(inherit = true, doc = "This upstream's pool limits, over the top-level pool.") SessionPoolOptions pool,
    @Key(name = "requestTimeout", value = "" + UpstreamOptions.DEFAULT_REQUEST_TIMEOUT_MS, unit = MILLIS,
        doc = "The client gets -32001 after this, the upstream notifications/cancelled.") long requestTimeoutMs,
    @Key(name = "connectTimeout", value = "" + UpstreamOptions.DEFAULT_CONNECT_TIMEOUT_MS, unit = MILLIS,
        doc = "To start or connect and finish initialize.") long connectTimeoutMs,
    @Key(name = "listTimeout", value = "5s", unit = MILLIS,
        doc = "An aggregate list leaves the upstream out after this.") long listTimeoutMs,
    @Key(inherit = true, doc = "This upstream's health options, over the top-level health.") HealthOptions health,
    @Key(doc = "Upstreams that take this one's traffic, in order, while it is unhealthy.") List<String> failover,
    @Key(unit = MILLIS, doc = "Request timeouts of single tools (the upstream's own names).")
    Map<String, Long> toolTimeouts,
    @Key(value = "64", doc = "stdio: processes of this upstream at once, over all tenants and shards (a probe"
        + " keeps one).") int maxProcesses,
    @Key(value = "2", doc = "stdio: processes one shard starts at once; more wait their turn.") int startConcurrency,
    @Key(value = "200", min = 0, doc = "stdio: newest stderr lines kept for /admin/upstreams.") int stderrLines,
    @Key(value = "16MiB", unit = BYTES, max = 1 << 30, doc = "HTTP: the largest SSE event it may send.")
    int maxEventSize,
    @Key(value = "16MiB", unit = BYTES, max = 1 << 30, doc = "HTTP: the largest application/json body it may send.")
    int maxResponseSize,
    @Key(doc = "HTTP: how the gateway authenticates to it.") UpstreamAuthOptions auth,
    @Key(value = "off", doc = "Each tenant's requests to this upstream.") RateLimit rateLimit,
    @Key(doc = "Each tenant's calls of one tool (its own name).") Map<String, RateLimit> toolRateLimits)
    implements Binder.Checked {

  /** The default time an upstream has to answer one request. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
  /** The default time to open a connection or start a process and finish initialize. */
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

  private static final Set<String> STDIO_ONLY = Set.of("command", "env", "inheritEnv", "cwd", "maxProcesses",
      "startConcurrency", "stderrLines");
  private static final Set<String> HTTP_ONLY = Set.of("url", "headers", "headerFiles", "maxEventSize",
      "maxResponseSize");

  /** How the gateway reaches the upstream. */
  public enum Transport { STDIO, STREAMABLE_HTTP, SSE }

  public UpstreamOptions {
    Map<String, RateLimit> on = new LinkedHashMap<>(toolRateLimits);
    on.values().removeIf(RateLimit::off);
    toolRateLimits = Collections.unmodifiableMap(on);
  }

  /** The prefix on aggregate endpoints: the alias when it is free, otherwise the name. */
  @Override
  public String prefix() {
    return prefix != null ? prefix : name;
  }

  /** The time a call of this tool (the upstream's own name) has to answer. */
  public long requestTimeoutMs(String tool) {
    Long own = tool == null ? null : toolTimeouts.get(tool);
    return own != null ? own : requestTimeoutMs;
  }

  /** The values as the file writes them, secrets masked (a record's own toString would show them). */
  @Override
  public String toString() {
    return Show.show(this, null).toString();
  }

  @Override
  public void check(Binder.Section s) {
    if (transport == null) {
      return;
    }
    boolean stdio = transport == Transport.STDIO;
    s.node().fieldNames().forEachRemaining(k -> {
      if (!stdio && STDIO_ONLY.contains(k)) {
        s.error(k, "only for stdio upstreams");
      } else if (stdio && HTTP_ONLY.contains(k)) {
        s.error(k, "only for streamable-http and sse upstreams");
      }
    });
    if (!s.has(stdio ? "command" : "url")) {
      s.error(stdio ? "command" : "url", "is required");
    } else if (stdio && command.isEmpty() && s.node().path("command").isArray()) {
      s.error("command", "must name a program");
    }
    if (sharing == Sharing.STATELESS && transport != Transport.STREAMABLE_HTTP) {
      s.error("sharing", "stateless needs a streamable-http upstream that speaks 2026-07-28");
    }
    if (stdio && maxProcesses == 1 && health.probeIntervalMs() > 0) {
      // the probe keeps a process of its own: with one slot, no client could ever start one
      s.error("maxProcesses", "must be at least 2 while health probes are on (the probe keeps one process);"
          + " or set " + s.path() + ".health.probeInterval: 0s");
    }
    if (stdio && auth.mode() != null && auth.mode() != UpstreamAuthOptions.Mode.HEADERS) {
      s.error("auth.mode", Binder.key(auth.mode()) + " needs an HTTP upstream (a stdio upstream takes its credentials"
          + " from env)");
    }
  }
}
