package dev.junction.bench;

import dev.junction.testkit.SdkHttpServer;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * The gateway against direct calls to the same upstream, in one run, with one load generator:
 * saturation throughput (closed loop) and latency at a fixed arrival rate (open loop), direct and
 * gateway runs interleaved. The gateway runs as its own process (the jar), so its CPU per call is
 * read from the kernel. Session-based clients on both sides: one POST per call either way.
 */
final class GatewayBench {
  private static final int ROUNDS = 3;
  static final long SATURATION_MS = 3_000;
  static final int CONCURRENCY = 32;
  private static final int RATE = 1_000;
  private static final long RATE_MS = 5_000;
  private static final int MAX_WARM_UP_ROUNDS = 8;
  /** A warm-up round in which the three JVMs together compiled for less than this ends the warm-up. */
  private static final long SETTLED_JIT_MS = 150;

  private GatewayBench() {
  }

  /**
   * @param ownCores true: the load generator and upstreams (this JVM) on the first half of the
   *     cores, the gateway and the bare proxy on the other half, as a gateway runs in production
   *     (on a host or pod of its own); false: every process on every core
   */
  static String run(boolean ownCores) throws Exception {
    int n = Runtime.getRuntime().availableProcessors();
    String machine = Report.machine(); // before this JVM is pinned to some of the cores
    String layout;
    String mine = ownCores ? splitCores() : null;
    if (mine != null) {
      layout = "The load generator and the upstreams (one JVM) run on cores " + mine + "; the gateway and the bare "
          + "proxy (each a JVM of its own) on cores " + GatewayProcess.cpus + " (`taskset`). The direct calls use the "
          + "same cores as the load generator and upstreams do in the other runs, so each ratio compares equal work "
          + "on the client and upstream side. Each JVM sizes itself to the cores it is given (the gateway's shards, "
          + "ingress instances and event loops).";
    } else {
      layout = "The load generator, the upstreams, the gateway and the bare proxy share all " + n + " cores.";
    }
    String name = ownCores ? "gateway" : "gateway-shared";
    StringBuilder out = new StringBuilder("## Gateway vs direct" + (ownCores ? ", gateway on cores of its own"
        : ", every process on every core") + "\n\n"
        + "Command (from the project root): `./mvnw -q install -DskipTests && ./mvnw -q -f loadtest/bench/pom.xml "
        + "compile exec:exec -Dbench.args=\"" + name + "\"`\n\n" + machine + "\n"
        + layout + " The gateway runs from target/junction.jar with its defaults (epoll; Vert.x's own per-request "
        + "meters off). The bare proxy (`BareProxy`) forwards POSTs with Vert.x and nothing else: the floor for any "
        + "Vert.x proxy on this machine.\n\n"
        + "Throughput: " + CONCURRENCY + " calls in flight for " + SATURATION_MS / 1000 + " s per path per round. "
        + "Latency: an open loop at " + RATE + " calls/s for " + RATE_MS / 1000 + " s per path per round, timed from "
        + "each call's intended send time (HdrHistogram), in microseconds. " + ROUNDS + " measured rounds, the paths "
        + "taking turns, after warm-up rounds that last until the JIT compilers are idle. CPU per call: the proxy "
        + "process's user + kernel time during its saturation runs (/proc).\n");
    // JUNCTION_BENCH_CASES=stub,stub32k,sdk picks cases (all by default), for quicker runs while profiling
    java.util.Set<String> cases = java.util.Set.of(System.getenv().getOrDefault("JUNCTION_BENCH_CASES", "stub,stub32k,sdk")
        .split(","));
    try (Caller caller = new Caller()) {
      try (StubMcpServer stub = StubMcpServer.start().withoutRecording()) {
        if (cases.contains("stub")) {
          out.append(compare("Stub upstream (Vert.x), ~100-byte results", stub.url(), "stub", "echo",
              new JsonObject().put("size", 40), caller));
        }
        if (cases.contains("stub32k")) {
          out.append(compare("Stub upstream (Vert.x), 32 KB results", stub.url(), "stub", "echo",
              new JsonObject().put("size", 32 * 1024), caller));
        }
      }
      if (cases.contains("sdk")) {
        try (SdkHttpServer sdk = SdkHttpServer.start("sdk")) {
          out.append(compare("MCP Java SDK upstream (Streamable HTTP on Tomcat)", sdk.url(), "sdk", "echo",
              new JsonObject().put("text", "hello"), caller));
        }
      }
    }
    return out.toString();
  }

  private static String compare(String title, String upstreamUrl, String name, String tool, JsonObject args,
      Caller caller) throws Exception {
    java.util.function.IntFunction<String> config = port -> new JsonObject()
        .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("auth", new JsonObject().put("unauthenticated", "allow"))
        // the bulkhead would turn the load generator away: this measures overhead, not policy
        .put("pool", new JsonObject().put("maxInFlightPerTenant", 100_000))
        .put("upstreams", new JsonObject().put(name, new JsonObject().put("transport", "streamable-http")
            .put("url", upstreamUrl)))
        // JUNCTION_BENCH_CONFIG: JSON merged over this config, to try settings
        .mergeIn(new JsonObject(System.getenv().getOrDefault("JUNCTION_BENCH_CONFIG", "{}")), true).encode();
    String jfr = System.getenv("JUNCTION_BENCH_JFR"); // a file name: record the gateway with Flight Recorder
    List<String> gatewayFlags = new java.util.ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
    if (jfr != null) {
      gatewayFlags.add("-XX:StartFlightRecording=settings=" + System.getenv().getOrDefault("JUNCTION_BENCH_JFC", "profile")
          + ",filename=" + jfr + "-" + name + ".jfr");
    }
    // JUNCTION_BENCH_GATEWAY_FLAGS: more JVM flags for the gateway, e.g. -Dio.netty.transport.noNative=true (NIO)
    String[] flags = flags("JUNCTION_BENCH_GATEWAY_FLAGS", gatewayFlags).toArray(String[]::new);
    // JUNCTION_BENCH_BASELINE_JAR: an older build of the gateway, measured in the same run as a fourth path
    String baselineJar = System.getenv("JUNCTION_BENCH_BASELINE_JAR");
    try (GatewayProcess gateway = GatewayProcess.start(config, flags);
        GatewayProcess bare = GatewayProcess.startBare(upstreamUrl, "-Xms512m", "-Xmx512m");
        GatewayProcess baseline = baselineJar == null ? null
            : GatewayProcess.startJar(baselineJar, config, baselineFlags())) {
      String gatewayUrl = gateway.url().replace("/mcp", "/servers/" + name + "/mcp");
      String bareUrl = bare.url();
      String direct = caller.initialize(upstreamUrl);
      String viaGateway = caller.initialize(gatewayUrl);
      String viaBare = caller.initialize(bareUrl);
      Target toDirect = new Target(() -> caller.sessionCall(upstreamUrl, direct, tool, args), null);
      Target toBare = new Target(() -> caller.sessionCall(bareUrl, viaBare, tool, args), bare);
      Target toGateway = new Target(() -> caller.sessionCall(gatewayUrl, viaGateway, tool, args), gateway);
      List<Target> paths = new java.util.ArrayList<>(List.of(toDirect, toBare, toGateway));
      Target toBaseline = null;
      if (baseline != null) {
        String baselineUrl = baseline.url().replace("/mcp", "/servers/" + name + "/mcp");
        String viaBaseline = caller.initialize(baselineUrl);
        toBaseline = new Target(() -> caller.sessionCall(baselineUrl, viaBaseline, tool, args), baseline);
        paths.add(toBaseline);
      }
      // Warm-up: whole unmeasured rounds until no JVM's JIT compiler is busy any more. A gateway
      // fresh from start spends more CPU compiling than relaying for its first ~30 s; that is not
      // what a running gateway costs.
      int warmUp = 0;
      while (warmUp < MAX_WARM_UP_ROUNDS) {
        long jit0 = gateway.jitMillis() + bare.jitMillis() + localJitMillis();
        round(caller, paths);
        warmUp++;
        if (gateway.jitMillis() + bare.jitMillis() + localJitMillis() - jit0 < SETTLED_JIT_MS) {
          break;
        }
      }
      paths.forEach(Target::reset);
      long jit0 = gateway.jitMillis();
      for (int r = 0; r < ROUNDS; r++) {
        round(caller, paths);
      }
      long jit = gateway.jitMillis() - jit0;
      double d = toDirect.throughput();
      StringBuilder t = new StringBuilder("\n### " + title + "\n\n")
          .append("| | direct | bare Vert.x proxy | gateway | gateway vs direct | gateway vs bare proxy |\n"
              + "|---|---:|---:|---:|---:|---:|\n")
          .append(String.format("| throughput, calls/s | %,.0f | %,.0f | %,.0f | %.2f× | %.2f× |%n", d,
              toBare.throughput(), toGateway.throughput(), toGateway.throughput() / d,
              toGateway.throughput() / toBare.throughput()));
      for (double p : new double[] {50, 99, 99.9}) {
        long dl = toDirect.latency.getValueAtPercentile(p);
        long bl = toBare.latency.getValueAtPercentile(p);
        long gl = toGateway.latency.getValueAtPercentile(p);
        t.append(String.format("| p%s at %,d/s, µs | %,d | %,d | %,d | %+,d µs | %+,d µs |%n",
            p == 50 ? "50" : p == 99 ? "99" : "99.9", RATE, dl, bl, gl, gl - dl, gl - bl));
      }
      t.append(String.format("| CPU per call (in the kernel), µs | | %s | %s | | |%n", toBare.cpuPerCall(),
          toGateway.cpuPerCall()));
      if (toBaseline != null) {
        t.append(String.format("%nSame run, the baseline build (%s) as a fourth path: throughput %,.0f calls/s, "
            + "CPU per call %s µs; this build's CPU per call is %.2f× the baseline's, %.2f× the bare proxy's "
            + "(the baseline's: %.2f×).%n", Path.of(baselineJar).getFileName(), toBaseline.throughput(),
            toBaseline.cpuPerCall(), toGateway.cpuMicros() / toBaseline.cpuMicros(),
            toGateway.cpuMicros() / toBare.cpuMicros(), toBaseline.cpuMicros() / toBare.cpuMicros()));
      }
      t.append(String.format("%nWarm-up: %d unmeasured rounds; the gateway's JIT compiler then ran %,d ms during the "
          + "%d measured rounds.%n", warmUp, jit, ROUNDS));
      return t.toString();
    }
  }

  /**
   * Pins this JVM (load generator and upstreams) to the first half of the cores and the proxies it
   * starts to the other half; the first half's cores, or null on a single core (nothing pinned).
   */
  static String splitCores() throws Exception {
    int n = Runtime.getRuntime().availableProcessors();
    if (n < 2) {
      return null;
    }
    String mine = n / 2 == 1 ? "0" : "0-" + (n / 2 - 1);
    GatewayProcess.cpus = n - n / 2 == 1 ? String.valueOf(n / 2) : (n / 2) + "-" + (n - 1);
    // threads started later inherit this
    new ProcessBuilder("taskset", "-a", "-p", "-c", mine, String.valueOf(ProcessHandle.current().pid()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    return mine;
  }

  /** JVM flags from an environment variable (split on white space), after the given ones. */
  private static List<String> flags(String variable, List<String> given) {
    List<String> flags = new java.util.ArrayList<>(given);
    String extra = System.getenv(variable);
    if (extra != null && !extra.isBlank()) {
      flags.addAll(List.of(extra.trim().split("\\s+")));
    }
    return flags;
  }

  /** The baseline's JVM flags: the gateway's heap, and JUNCTION_BENCH_BASELINE_FLAGS (e.g. a profiler agent). */
  private static String[] baselineFlags() {
    return flags("JUNCTION_BENCH_BASELINE_FLAGS", List.of("-Xms512m", "-Xmx512m")).toArray(String[]::new);
  }

  /** One round: each path saturated in turn, then each at the fixed rate in turn. */
  private static void round(Caller caller, List<Target> paths) throws Exception {
    for (Target p : paths) {
      p.saturate(caller);
    }
    for (Target p : paths) {
      p.latency.add(caller.openLoop(RATE, RATE_MS, p.call));
    }
  }

  /** A way to the upstream (direct, or through a proxy process) and what was measured on it. */
  static final class Target {
    final Supplier<Future<?>> call;
    final GatewayProcess process;
    final Histogram latency = new Histogram(60_000_000L, 3);
    int rounds;
    double tputSum;
    long calls;
    long cpu;
    long sys;

    Target(Supplier<Future<?>> call, GatewayProcess process) {
      this.call = call;
      this.process = process;
    }

    /** One saturation run: throughput, and the process's CPU during it. */
    void saturate(Caller caller) throws Exception {
      long[] cpu0 = process == null ? null : process.cpuNanos();
      double tput = caller.saturate(SATURATION_MS, CONCURRENCY, call);
      if (process != null) {
        long[] cpu1 = process.cpuNanos();
        cpu += cpu1[0] - cpu0[0];
        sys += cpu1[1] - cpu0[1];
      }
      calls += (long) (tput * SATURATION_MS / 1000);
      tputSum += tput;
      rounds++;
    }

    void reset() {
      latency.reset();
      rounds = 0;
      tputSum = 0;
      calls = 0;
      cpu = 0;
      sys = 0;
    }

    double throughput() {
      return tputSum / Math.max(1, rounds);
    }

    String cpuPerCall() {
      return String.format("%,.1f (%,.1f)", cpuMicros(), sys / 1_000.0 / Math.max(1, calls));
    }

    double cpuMicros() {
      return cpu / 1_000.0 / Math.max(1, calls);
    }
  }

  private static long localJitMillis() {
    return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

}
