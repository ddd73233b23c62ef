package dev.junction.bench;

import dev.junction.testkit.StubMcpServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The gateway's live heap (after a full GC, read with jcmd from the gateway's own process) per
 * concurrent client session, and after many tenants came and went. The upstream is the test kit's
 * Vert.x stub in this JVM; the gateway is the jar in its own JVM.
 */
final class HeapBench {
  private static final int[] SESSION_STEPS = {1_000, 2_000, 4_000, 8_000};
  private static final int CONCURRENCY = 32;
  private static final long MIB = 1024 * 1024;
  /** Targets from issue 7. */
  private static final long SESSIONS_PER_GIB_TARGET = 64 * 1024;
  private static final long TENANT_GROWTH_TARGET = 8 * MIB;
  private static final String[] GATEWAY_FLAGS = {"-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"};

  private HeapBench() {
  }

  private static String header(String title, String args, String what) {
    return "## " + title + "\n\nCommand (from the project root): `./mvnw -q install -DskipTests && ./mvnw -q -f "
        + "loadtest/bench/pom.xml compile exec:exec -Dbench.args=\"" + args + "\"`\n\n" + Report.machine()
        + "- Gateway JVM: " + String.join(" ", GATEWAY_FLAGS) + ", the jar's own defaults otherwise\n\n" + what + "\n";
  }

  /**
   * Opens session-based client sessions in steps, each initialized and with one tools/call done (so
   * it holds its upstream session), and measures the live heap after each step.
   */
  static String sessions() throws Exception {
    StringBuilder out = new StringBuilder(header("Live heap per client session", "heap-sessions",
        "Session-based clients (2025-11-25) open sessions on `/mcp` " + CONCURRENCY + " at a time, spread over 16 "
            + "tenants; each session is initialized and makes one tools/call, so it holds one upstream session of its "
            + "own (`sharing: auto` gives session-based clients one upstream session each). All sessions stay open. "
            + "Live heap: the gateway's heap in use after `jcmd <pid> GC.run`, read with `GC.heap_info`."));
    try (StubMcpServer stub = StubMcpServer.start().withoutRecording(); Caller caller = new Caller();
        GatewayProcess gateway = GatewayProcess.start(port -> config(port, stub.url(), new JsonObject()), GATEWAY_FLAGS)) {
      String url = gateway.url();
      // warm-up: classes loaded and JIT-compiled, upstream connections open; not part of the slope
      caller.saturate(2_000, 8, () -> caller.tenantCall(url, "warmup", "a_echo"));
      long base = gateway.liveHeapBytes();
      out.append("\n| client sessions | live heap MiB | per session, bytes |\n|---:|---:|---:|\n")
          .append(String.format("| 0 | %.1f | |%n", base / (double) MIB));
      List<long[]> points = new ArrayList<>();
      int open = 0;
      for (int step : SESSION_STEPS) {
        int from = open;
        Caller.Failures failures = caller.concurrently(step - from, CONCURRENCY,
            i -> caller.openAndCall(url, "tenant-" + (from + i) % 16, "a_echo"));
        if (failures.count() > 0) {
          throw new IllegalStateException(failures.count() + " sessions failed, first: " + failures.first());
        }
        open = step;
        long heap = gateway.liveHeapBytes();
        points.add(new long[] {open, heap});
        out.append(String.format("| %,d | %.1f | %,d |%n", open, heap / (double) MIB, (heap - base) / open));
      }
      double slope = slope(points);
      long perGib = (long) (1024 * MIB / slope);
      out.append(String.format("%n- Slope (least squares over the steps): **%,.0f bytes per client session**%n", slope))
          .append(String.format("- Client sessions per GiB of live heap: **%,d** (target: at least %,d) — %s%n", perGib,
              SESSIONS_PER_GIB_TARGET, perGib >= SESSIONS_PER_GIB_TARGET ? "met" : "**missed**"));
      if (perGib < SESSIONS_PER_GIB_TARGET || System.getenv("JUNCTION_BENCH_HISTOGRAM") != null) {
        out.append("\nTop retained classes with ").append(open).append(" sessions open:\n\n")
            .append(gateway.histogram(15));
      }
    }
    return out.toString();
  }

  /**
   * Stateless calls, each from a new tenant that never comes back, then waits until the gateway has
   * reaped the idle sessions and scopes, and compares the live heap with the one before.
   */
  static String tenants(int count, int concurrency) throws Exception {
    JsonObject shortIdle = new JsonObject().put("sessionIdleTimeout", "3s")
        .put("pool", new JsonObject().put("idleTimeout", "3s").put("evictionInterval", "1s")
            .put("maxInFlightPerTenant", 100_000))
        // the health probe's own upstream session comes and goes every probe interval; without
        // probes, every upstream session the stub counts is a client tenant's
        .put("health", new JsonObject().put("probeInterval", "0s"));
    StringBuilder out = new StringBuilder(header("Live heap after tenant churn", "heap-tenants " + count + " " + concurrency,
        String.format("%,d stateless (2026-07-28) tools/calls, %d at a time, each from a new tenant (`x-tenant-id`) "
            + "that never comes back and sends no DELETE; every new tenant makes the pool open an upstream session. "
            + "The gateway runs with `sessionIdleTimeout: 3s`, pool `idleTimeout: 3s`, `evictionInterval: 1s` and "
            + "no health probes (a probe's own upstream session would be counted); "
            + "after the calls the bench waits until the stub has seen every upstream session closed and then 10 s "
            + "more, so that the idle reaping has run. Live heap: after `jcmd <pid> GC.run`, read with "
            + "`GC.heap_info`; the baseline is taken after a warm-up of the same calls, reaped in the same way.",
            count, concurrency)));
    try (StubMcpServer stub = StubMcpServer.start().withoutRecording(); Caller caller = new Caller();
        GatewayProcess gateway = GatewayProcess.start(port -> config(port, stub.url(), shortIdle), GATEWAY_FLAGS)) {
      String url = gateway.url();
      IntFunction<Future<?>> newTenant = i -> caller.tenantCall(url, "churn-" + i, "a_echo");
      Caller.Failures warmupFailures = caller.concurrently(2_000, concurrency, i -> newTenant.apply(-1 - i));
      awaitReaped(stub);
      long base = gateway.liveHeapBytes();
      long start = System.nanoTime();
      // in tenths, to see whether a new tenant costs more as tenants accumulate
      StringBuilder rates = new StringBuilder();
      int failed = warmupFailures.count();
      String firstFailure = warmupFailures.first();
      int tenth = Math.max(1, count / 10);
      for (int done = 0; done < count; done += tenth) {
        int from = done;
        long t0 = System.nanoTime();
        Caller.Failures f = caller.concurrently(Math.min(tenth, count - from), concurrency,
            i -> newTenant.apply(from + i));
        failed += f.count();
        firstFailure = firstFailure == null ? f.first() : firstFailure;
        rates.append(rates.length() == 0 ? "" : ", ")
            .append(String.format("%,.0f", Math.min(tenth, count - from) / ((System.nanoTime() - t0) / 1e9)));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long peak = gateway.liveHeapBytes();
      int left = awaitReaped(stub);
      long after = gateway.liveHeapBytes();
      long growth = after - base;
      out.append("\n| | live heap MiB |\n|---|---:|\n")
          .append(String.format("| baseline (after warm-up and reaping) | %.1f |%n", base / (double) MIB))
          .append(String.format("| right after the %,d tenants | %.1f |%n", count, peak / (double) MIB))
          .append(String.format("| after idle reaping | %.1f |%n", after / (double) MIB))
          .append(String.format("%n- Calls: %,d new tenants in %.1f s (%,.0f/s)%n", count, seconds, count / seconds))
          .append("- New tenants per second, by tenth of the run: ").append(rates).append('\n')
          .append(String.format("- Failed calls (warm-up included): %,d%s%n", failed,
              firstFailure == null ? "" : "; the first: `" + firstFailure + "`"))
          .append(String.format("- Upstream sessions still open after reaping: %,d%n", left))
          .append(String.format("- Growth over the baseline: **%+.2f MiB** (target: within +8 MB) — %s%n",
              growth / (double) MIB, growth <= TENANT_GROWTH_TARGET ? "met" : "**missed**"));
      if (growth > TENANT_GROWTH_TARGET || System.getenv("JUNCTION_BENCH_HISTOGRAM") != null) {
        out.append("\nTop retained classes after reaping:\n\n").append(gateway.histogram(15));
      }
    }
    return out.toString();
  }

  private static String config(int port, String upstreamUrl, JsonObject extra) {
    JsonObject pool = new JsonObject().put("maxInFlightPerTenant", 100_000);
    JsonObject config = new JsonObject()
        .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("auth", new JsonObject().put("unauthenticated", "allow"))
        .put("pool", pool)
        .put("upstreams", new JsonObject().put("a", new JsonObject().put("transport", "streamable-http")
            .put("url", upstreamUrl)));
    return config.mergeIn(extra, true).encode();
  }

  /**
   * Waits until every upstream session the stub opened has been closed (DELETE), at most 2 minutes,
   * then 10 s more; returns how many are still open.
   */
  private static int awaitReaped(StubMcpServer stub) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (stub.liveSessions() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    Thread.sleep(10_000);
    return stub.liveSessions();
  }

  /** Least-squares slope of heap over sessions. */
  private static double slope(List<long[]> points) {
    double n = points.size();
    double sx = 0;
    double sy = 0;
    double sxy = 0;
    double sxx = 0;
    for (long[] p : points) {
      sx += p[0];
      sy += p[1];
      sxy += (double) p[0] * p[1];
      sxx += (double) p[0] * p[0];
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }
}
