package dev.junction.bench;

import java.nio.file.Path;

/**
 * The benchmark command: {@code pool [calls]} (pool hit, miss and no pool), {@code gateway}
 * (gateway vs direct, the gateway on cores of its own), {@code gateway-shared} (the same, every
 * process on every core), {@code heap-sessions} (live heap per client session), {@code heap-tenants
 * [count [concurrency]]} (live heap after tenant churn), {@code cluster} (a call forwarded to the node that owns
 * its session against one sent to the owner), {@code tracing} (the gateway with tracing off and on). Each rewrites its own section of BENCHMARKS.md (in the
 * working directory: run it from the project root).
 */
public final class Bench {
  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "pool";
    Path out = Path.of(System.getenv().getOrDefault("JUNCTION_BENCH_OUT", "BENCHMARKS.md")); // elsewhere while trying things
    String section = switch (which) {
      case "pool" -> PoolBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 2_000);
      case "gateway" -> GatewayBench.run(true);
      case "gateway-shared" -> GatewayBench.run(false);
      case "cluster" -> ClusterBench.run();
      case "tracing" -> TracingBench.run();
      case "heap-sessions" -> HeapBench.sessions();
      case "heap-tenants" -> HeapBench.tenants(args.length > 1 ? Integer.parseInt(args[1]) : 100_000,
          args.length > 2 ? Integer.parseInt(args[2]) : 8);
      default -> throw new IllegalArgumentException("unknown benchmark '" + which
          + "'; try: pool, gateway, gateway-shared, cluster, tracing, heap-sessions, heap-tenants");
    };
    // the section's markers are the benchmark's name
    Report.write(out, which, section);
    org.slf4j.LoggerFactory.getLogger(Bench.class).info("\n{}", section);
    System.exit(0);
  }
}
