package dev.junction.bench;

import java.nio.file.Path;

/**
 * The benchmark command. {@code pool [calls]} measures pool hit, miss and no pool and rewrites
 * that section of BENCHMARKS.md (in the working directory: run it from the project root).
 */
public final class Bench {
  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "pool";
    Path out = Path.of(System.getProperty("bench.out", "BENCHMARKS.md"));
    switch (which) {
      case "pool" -> {
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String section = PoolBench.run(calls);
        Report.write(out, "pool", section);
        org.slf4j.LoggerFactory.getLogger(Bench.class).info("\n{}", section);
      }
      case "gateway" -> {
        String section = GatewayBench.run();
        Report.write(out, "gateway", section);
        org.slf4j.LoggerFactory.getLogger(Bench.class).info("\n{}", section);
      }
      default -> throw new IllegalArgumentException("unknown benchmark '" + which + "'; try: pool, gateway");
    }
    System.exit(0);
  }
}
