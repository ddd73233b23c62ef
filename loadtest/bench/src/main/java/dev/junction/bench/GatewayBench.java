package dev.junction.bench;

import dev.junction.testkit.SdkHttpServer;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * The gateway against direct calls to the same upstream, in one run, with one load generator:
 * saturation throughput (closed loop) and latency at a fixed arrival rate (open loop), direct and
 * gateway runs interleaved. The gateway runs as its own process (the jar), so its CPU per call is
 * read from the kernel. Session-based clients on both sides: one POST per call either way.
 */
final class GatewayBench {
  private static final int ROUNDS = 3;
  private static final long SATURATION_MS = 3_000;
  private static final int CONCURRENCY = 32;
  private static final int RATE = 1_000;
  private static final long RATE_MS = 5_000;

  private GatewayBench() {
  }

  static String run() throws Exception {
    StringBuilder out = new StringBuilder("## Gateway vs direct\n\n"
        + "Command (from the project root): `./mvnw -q install -DskipTests && ./mvnw -q -f loadtest/bench/pom.xml "
        + "compile exec:exec -Dbench.args=\"gateway\"`\n\n" + Report.machine() + "\n"
        + "Load generator, upstreams and gateway share the machine's " + Runtime.getRuntime().availableProcessors()
        + " cores (the gateway in its own JVM, started from target/junction.jar). Throughput: " + CONCURRENCY
        + " calls in flight for " + SATURATION_MS / 1000 + " s, " + ROUNDS + " rounds alternating direct and gateway. "
        + "Latency: an open loop at " + RATE + " calls/s for " + RATE_MS / 1000 + " s per round, timed from each call's "
        + "intended send time, in microseconds.\n");
    try (Caller caller = new Caller()) {
      try (StubMcpServer stub = StubMcpServer.start()) {
        out.append(compare("Stub upstream (Vert.x), ~100-byte results", stub.url(), "stub", "echo",
            new JsonObject().put("size", 40), caller));
        out.append(compare("Stub upstream (Vert.x), 32 KB results", stub.url(), "stub", "echo",
            new JsonObject().put("size", 32 * 1024), caller));
      }
      try (SdkHttpServer sdk = SdkHttpServer.start("sdk")) {
        out.append(compare("MCP Java SDK upstream (Streamable HTTP on Tomcat)", sdk.url(), "sdk", "echo",
            new JsonObject().put("text", "hello"), caller));
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
            .put("url", upstreamUrl))).encode();
    String jfr = System.getenv("JUNCTION_BENCH_JFR"); // a file name: record the gateway with Flight Recorder
    String[] flags = jfr == null ? new String[] {"-Xms512m", "-Xmx512m"}
        : new String[] {"-Xms512m", "-Xmx512m", "-XX:StartFlightRecording=settings=profile,filename=" + jfr + "-" + name + ".jfr"};
    try (GatewayProcess gateway = GatewayProcess.start(config, flags)) {
      String gatewayUrl = gateway.url().replace("/mcp", "/servers/" + name + "/mcp");
      String direct = caller.initialize(upstreamUrl);
      String viaGateway = caller.initialize(gatewayUrl);
      java.util.function.Supplier<io.vertx.core.Future<?>> directCall =
          () -> caller.sessionCall(upstreamUrl, direct, tool, args);
      java.util.function.Supplier<io.vertx.core.Future<?>> gatewayCall =
          () -> caller.sessionCall(gatewayUrl, viaGateway, tool, args);
      // warm-up: both paths, JIT included
      caller.saturate(SATURATION_MS, CONCURRENCY, directCall);
      caller.saturate(SATURATION_MS, CONCURRENCY, gatewayCall);
      double directTput = 0;
      double gatewayTput = 0;
      long gatewayCalls = 0;
      long gatewayCpu = 0;
      Histogram directLat = new Histogram(60_000_000L, 3);
      Histogram gatewayLat = new Histogram(60_000_000L, 3);
      for (int r = 0; r < ROUNDS; r++) {
        directTput += caller.saturate(SATURATION_MS, CONCURRENCY, directCall);
        long cpu0 = gateway.cpuNanos();
        double t = caller.saturate(SATURATION_MS, CONCURRENCY, gatewayCall);
        gatewayCpu += gateway.cpuNanos() - cpu0;
        gatewayCalls += (long) (t * SATURATION_MS / 1000);
        gatewayTput += t;
        directLat.add(caller.openLoop(RATE, RATE_MS, directCall));
        gatewayLat.add(caller.openLoop(RATE, RATE_MS, gatewayCall));
      }
      directTput /= ROUNDS;
      gatewayTput /= ROUNDS;
      StringBuilder t = new StringBuilder("\n### " + title + "\n\n")
          .append("| | direct | gateway | ratio / added |\n|---|---:|---:|---:|\n")
          .append(String.format("| throughput, calls/s | %,.0f | %,.0f | %.2f× |%n", directTput, gatewayTput, gatewayTput / directTput));
      for (double p : new double[] {50, 99, 99.9}) {
        long d = directLat.getValueAtPercentile(p);
        long g = gatewayLat.getValueAtPercentile(p);
        t.append(String.format("| p%s at %,d/s, µs | %,d | %,d | %+,d µs |%n", p == 50 ? "50" : p == 99 ? "99" : "99.9",
            RATE, d, g, g - d));
      }
      t.append(String.format("| gateway CPU per call | | %,.0f µs | |%n", gatewayCpu / 1_000.0 / Math.max(1, gatewayCalls)));
      return t.toString();
    }
  }
}
