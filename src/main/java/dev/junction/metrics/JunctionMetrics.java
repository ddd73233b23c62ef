package dev.junction.metrics;

import dev.junction.bus.CircuitState;
import dev.junction.bus.UpstreamState;
import dev.junction.mcp.McpMethod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Junction's own meters, on the registry Vert.x scrapes at {@code /metrics}. One instance per
 * registry is shared by every verticle, so gauges such as sessions per upstream add up across
 * shards (the atomics and concurrent maps here are the only ones the project allows: meters are
 * read by the scraping thread). Labels never carry tenant, session or pool keys; upstream names
 * (and declared tenant names) come from config, and method names are bounded to the protocol's
 * own (anything else is {@code other}) so clients cannot grow the label space.
 */
public final class JunctionMetrics {
  private static final String ANONYMOUS = "junction.anonymous.requests";
  private static final String ANONYMOUS_HELP = "Requests that carried no identity";
  private static final Map<MeterRegistry, JunctionMetrics> INSTANCES = new ConcurrentHashMap<>();

  private final MeterRegistry registry;
  private final AtomicInteger downstreamSessions = new AtomicInteger();
  private final AtomicLong bodyBytes = new AtomicLong();
  private final AtomicInteger clusterMembers = new AtomicInteger();
  private final Map<String, AtomicInteger> sessions = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> circuits = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> processes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> processLimits = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> upstreamStates = new ConcurrentHashMap<>();
  /**
   * Tool names that may label the per-tool meters, by upstream: only names an upstream listed, and
   * at most as many (over all upstreams) as the cap the callers pass. Others count as {@code other}.
   */
  private final Map<String, Set<String>> toolLabels = new ConcurrentHashMap<>();
  private final AtomicInteger toolLabelCount = new AtomicInteger();
  /**
   * Meters by name and tag values. Looking a meter up in the registry on every call costs an id,
   * tags and a registry lookup; this map keeps the hot paths to one lookup by a string key.
   */
  private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
  /** Counted on every request without an identity, so held rather than looked up. */
  private final Counter anonymousShared;
  private final Counter anonymousRejected;
  private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

  /**
   * A meter's name and tag values as a map key. Names and tag values are constants or config
   * strings, whose hashes are cached, so a lookup builds no string; the key's own hash is taken
   * once, and equality compares the arrays directly (a record over lists compared them through
   * iterators and method handles, a visible share of a call's CPU).
   */
  private static final class MeterKey {
    private final String name;
    private final String[] tags;
    private final int hash;

    MeterKey(String name, String[] tags) {
      this.name = name;
      this.tags = tags;
      this.hash = 31 * name.hashCode() + Arrays.hashCode(tags);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof MeterKey k && hash == k.hash && name.equals(k.name) && Arrays.equals(tags, k.tags);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private JunctionMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.anonymousShared = counter(ANONYMOUS, ANONYMOUS_HELP, "outcome", "shared");
    this.anonymousRejected = counter(ANONYMOUS, ANONYMOUS_HELP, "outcome", "rejected");
    Gauge.builder("junction.downstream.sessions", downstreamSessions, AtomicInteger::get)
        .description("Open downstream (client) sessions").register(registry);
    Gauge.builder("junction.ingress.body.bytes", bodyBytes, AtomicLong::get).baseUnit("bytes")
        .description("Bytes reserved by request bodies being received (limits.bodyBudget bounds it)")
        .register(registry);
    // Netty's pooled buffers live outside the heap the JVM meters show
    var netty = PooledByteBufAllocator.DEFAULT.metric();
    Gauge.builder("junction.netty.memory.used", netty, m -> m.usedDirectMemory()).tag("area", "direct")
        .description("Memory held by Netty's pooled allocator").baseUnit("bytes").register(registry);
    Gauge.builder("junction.netty.memory.used", netty, m -> m.usedHeapMemory()).tag("area", "heap")
        .description("Memory held by Netty's pooled allocator").baseUnit("bytes").register(registry);
  }

  /** The bounded label for a JSON-RPC method. */
  public static String methodLabel(String method) {
    // label values are then the table's constants, whose hashes are cached
    return McpMethod.label(method);
  }

  /**
   * One downstream request, from receipt to the last byte of its answer.
   *
   * @param outcome {@code ok}, or the kind of error: {@code jsonrpc} (an error in the answer), {@code http}
   */
  public void request(String method, String endpointKind, String outcome, long nanos) {
    timer("junction.request.duration", "Downstream requests, receipt to answer", true,
        "method", methodLabel(method), "endpoint", endpointKind, "outcome", outcome)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * One request to an upstream.
   *
   * @param outcome {@code ok}, {@code error} (the upstream's JSON-RPC error), {@code timeout} or {@code unavailable}
   */
  public void upstreamRequest(String upstream, String method, String outcome, long nanos) {
    timer("junction.upstream.request.duration", "Requests to upstreams, by method and outcome", true,
        "upstream", upstream, "method", methodLabel(method), "outcome", outcome).record(nanos, TimeUnit.NANOSECONDS);
    if (!"ok".equals(outcome)) {
      counter("junction.upstream.errors", "Failed upstream requests, by kind", "upstream", upstream, "kind", outcome)
          .increment();
    }
  }

  /** The instance for the registry Vert.x was built with, or a private one when metrics are off. */
  public static JunctionMetrics create() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return of(registry != null ? registry : new SimpleMeterRegistry());
  }

  /** The instance for a registry (tests use a registry of their own). */
  public static JunctionMetrics of(MeterRegistry registry) {
    return INSTANCES.computeIfAbsent(registry, JunctionMetrics::new);
  }

  /** The label for tools the upstreams did not list, and for those over the cap. */
  public static final String OTHER_TOOL = "other";

  /**
   * Tools an upstream listed: they may label the per-tool meters, while fewer than {@code cap}
   * names do (over all upstreams), so a client cannot grow the label space with made-up names.
   */
  public void toolsListed(String upstream, Iterable<?> tools, int cap) {
    Set<String> names = toolLabels.computeIfAbsent(upstream, u -> ConcurrentHashMap.newKeySet());
    for (Object o : tools) {
      if (toolLabelCount.get() >= cap) {
        return;
      }
      if (o instanceof JsonObject tool && tool.getValue("name") instanceof String name && names.add(name)) {
        toolLabelCount.incrementAndGet();
      }
    }
  }

  /** The label for a tool of an upstream: its name when listed (and under the cap), else {@code other}. */
  public String toolLabel(String upstream, String tool) {
    Set<String> names = tool == null ? null : toolLabels.get(upstream);
    return names != null && names.contains(tool) ? tool : OTHER_TOOL;
  }

  /**
   * One tools/call to an upstream, from the shard's routing to its answer.
   *
   * @param tool the upstream's own tool name; unlisted names count as {@code other}
   * @param tenant a declared tenant's name when {@code metrics.tenantLabels} is on, else {@code -}
   * @param outcome {@code ok}, {@code tool_error} (a result with isError) or {@code error} (a JSON-RPC error)
   */
  public void toolCall(String upstream, String tool, String tenant, String outcome, long nanos) {
    String label = toolLabel(upstream, tool);
    counter("junction.tool.calls", "tools/call requests by upstream, tool, tenant and outcome", "upstream", upstream,
        "tool", label, "tenant", tenant, "outcome", outcome).increment();
    timer("junction.tool.duration", "tools/call latency by upstream, tool and tenant", true, "upstream", upstream,
        "tool", label, "tenant", tenant).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts one downstream message. */
  public void request(String method, boolean stateless) {
    counter("junction.requests", "Downstream JSON-RPC messages received", "method", methodLabel(method),
        "generation", stateless ? "stateless" : "session").increment();
  }

  /** Counts a request without any identity (the anonymous tenant). */
  public void anonymous(boolean rejected) {
    (rejected ? anonymousRejected : anonymousShared).increment();
  }

  /** Bytes reserved by request bodies being received, over all ingress instances. */
  public void bodyBytes(long delta) {
    bodyBytes.addAndGet(delta);
  }

  /** A request body refused: {@code too_large} (413) or {@code budget} (503). */
  public void bodyRefused(String reason) {
    counter("junction.ingress.bodies.refused", "Request bodies refused: too large, or over the body budget",
        "reason", reason).increment();
  }

  /** A client connection closed by the gateway: {@code header} (head too slow) or {@code idle}. */
  public void connectionTimedOut(String reason) {
    counter("junction.connections.timed.out", "Client connections closed for a slow request head or idleness",
        "reason", reason).increment();
  }

  public void downstreamSessions(int delta) {
    downstreamSessions.addAndGet(delta);
  }

  /** Counts an upstream left out of an aggregate list (fail-open). */
  public void upstreamLeftOut(String upstream) {
    counter("junction.upstream.left.out", "Upstreams left out of aggregate lists because they failed or were too slow",
        "upstream", upstream).increment();
  }

  /**
   * Counts a request turned away by a rate limit.
   *
   * @param scope {@code tenant}, {@code upstream} or {@code tool}: the limit it hit
   * @param upstream the upstream the client addressed, or {@code -} for a tenant's own limit
   * @param tenant the declared tenant's name (from config), or {@code -}: never a tenant key
   */
  public void rateLimited(String scope, String upstream, String tenant) {
    counter("junction.rate.limited", "Requests refused by a tenant's rate limits", "scope", scope,
        "upstream", upstream, "tenant", tenant).increment();
  }

  /** Counts a list_changed notification sent to a client, or suppressed as a duplicate. */
  public void listChanged(String upstream, boolean sent) {
    counter("junction.list.changed", "Upstream list changes relayed to clients (sent) or deduplicated (suppressed)",
        "upstream", upstream, "outcome", sent ? "sent" : "suppressed").increment();
  }

  /** A call served by an existing pooled session. */
  public void poolHit(String upstream) {
    counter("junction.pool.hits", "Calls served by a pooled upstream session", "upstream", upstream).increment();
  }

  /** A new upstream session had to be created. */
  public void poolMiss(String upstream) {
    counter("junction.pool.misses", "Upstream sessions created because none could take a call", "upstream", upstream)
        .increment();
  }

  public void poolInitialized(String upstream, long nanos) {
    timer("junction.pool.initialize", "Time to start or connect and initialize an upstream session", false,
        "upstream", upstream).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void poolAcquireWait(String upstream, long millis) {
    timer("junction.pool.acquire.wait", "Time calls waited for a pooled session", false, "upstream", upstream)
        .record(Duration.ofMillis(millis));
  }

  public void poolHealthCheckFailed(String upstream) {
    counter("junction.pool.health.check.failures", "Pooled sessions found unhealthy before use", "upstream", upstream)
        .increment();
  }

  /** A pooled session closed: idle, ttl, unhealthy, drained (old credential), closed (upstream side), ... */
  public void sessionReaped(String upstream, String reason) {
    counter("junction.pool.sessions.reaped", "Pooled upstream sessions closed, by reason", "upstream", upstream,
        "reason", reason).increment();
  }

  public void poolKeyEvicted() {
    counter("junction.pool.keys.evicted", "Pool keys evicted after their idle timeout").increment();
  }

  /** Open pooled sessions per upstream. */
  public void sessions(String upstream, int delta) {
    gauge(sessions, "junction.pool.sessions", "Open pooled upstream sessions", upstream).addAndGet(delta);
  }

  /** Calls in flight per upstream. */
  public void inFlight(String upstream, int delta) {
    gauge(inFlight, "junction.pool.in.flight", "Calls in flight on pooled sessions", upstream).addAndGet(delta);
  }

  /** Circuit state per upstream: 0 closed, 1 half-open, 2 open. */
  public void circuitState(String upstream, CircuitState state) {
    gauge(circuits, "junction.circuit.state", "Circuit state: 0 closed, 1 half-open, 2 open", upstream)
        .set(state.gauge());
  }

  public void circuitTrip(String upstream) {
    counter("junction.circuit.trips", "Times an upstream's circuit opened", "upstream", upstream).increment();
  }

  /** Health state per upstream, one series per state: 1 for the current state, 0 for the others. */
  public void upstreamState(String upstream, UpstreamState state) {
    for (UpstreamState s : UpstreamState.values()) {
      states(upstream, s.label()).set(s == state ? 1 : 0);
    }
  }

  private AtomicInteger states(String upstream, String state) {
    return upstreamStates.computeIfAbsent(upstream + '|' + state, k -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("junction.upstream.state", value, AtomicInteger::get)
          .description("Upstream health state: 1 for the current state").tags("upstream", upstream, "state", state)
          .register(registry);
      return value;
    });
  }

  public void reconnectAttempt(String upstream, boolean ok) {
    counter("junction.upstream.reconnects", "Reconnect attempts of unhealthy upstreams", "upstream", upstream,
        "outcome", ok ? "ok" : "failed").increment();
  }

  /** Traffic of {@code upstream} moved to {@code serving} (itself on failback). */
  public void failover(String upstream, String serving) {
    counter("junction.upstream.failovers", "Moves of an upstream's traffic to a failover member or back", "upstream",
        upstream, "serving", serving).increment();
  }

  /** A DELETE that ended an upstream session, or failed to (dropped when too many were queued). */
  public void upstreamDelete(String upstream, boolean ok) {
    counter("junction.upstream.deletes", "DELETEs ending upstream sessions", "upstream", upstream,
        "outcome", ok ? "ok" : "failed").increment();
  }

  /** A request forwarded to the node that owns its session ({@code kind}: relay, stream, delete). */
  public void forwarded(String kind) {
    counter("junction.cluster.forwarded", "Requests forwarded to the node that owns their session", "kind", kind)
        .increment();
  }

  /** A forwarded request that failed: {@code node_lost}, {@code timeout} or {@code error}. */
  public void forwardFailed(String reason) {
    counter("junction.cluster.forward.failures", "Forwarded requests that failed", "reason", reason).increment();
  }

  /** The members of the cluster, this node included (0 when not clustered). */
  public void clusterMembers(int count) {
    if (clusterMembers.getAndSet(count) == 0 && count > 0) {
      Gauge.builder("junction.cluster.members", clusterMembers, AtomicInteger::get)
          .description("Members of the Junction cluster, this node included").register(registry);
    }
  }

  /** Running processes of a stdio upstream. */
  public void processes(String upstream, int count) {
    gauge(processes, "junction.upstream.processes", "Running processes of a stdio upstream", upstream).set(count);
  }

  /** Running processes of a stdio upstream, and its {@code maxProcesses} (for alerts on the limit). */
  public void processes(String upstream, int count, int max) {
    processes(upstream, count);
    gauge(processLimits, "junction.upstream.processes.max", "maxProcesses of a stdio upstream", upstream).set(max);
  }

  private AtomicInteger gauge(Map<String, AtomicInteger> values, String name, String description, String upstream) {
    return values.computeIfAbsent(upstream, u -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder(name, value, AtomicInteger::get).description(description).tag("upstream", u).register(registry);
      return value;
    });
  }

  private Counter counter(String name, String description, String... tags) {
    // on a hit no lambda is built and nothing is copied; only a miss copies the tags
    Counter c = counters.get(new MeterKey(name, tags));
    return c != null ? c : counters.computeIfAbsent(new MeterKey(name, tags.clone()),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  private Timer timer(String name, String description, boolean histogram, String... tags) {
    Timer t = timers.get(new MeterKey(name, tags));
    return t != null ? t : timers.computeIfAbsent(new MeterKey(name, tags.clone()), k -> {
      Timer.Builder b = Timer.builder(name).description(description).tags(tags);
      return (histogram ? b.publishPercentileHistogram() : b).register(registry);
    });
  }
}
