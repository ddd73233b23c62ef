package dev.junction;

import dev.junction.config.ConfigException;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar junction.jar [--config FILE]}: loads the config (default
 * {@code conf/junction.yaml}) and runs the gateway until the process is stopped. An invalid config
 * exits with status 2 after listing every problem.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** Exit status for a bad command line or config. */
  public static final int EXIT_CONFIG = 2;

  private Main() {
  }

  /**
   * Names the garbage collector. With fewer than 2 cores (a container limited to one CPU, a pinned
   * process) the JVM picks the Serial collector, whose pauses stop every event loop: BENCHMARKS.md
   * measured a higher p99 with it than with G1 on one core.
   */
  private static void collector() {
    List<String> names = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(java.lang.management.GarbageCollectorMXBean::getName).toList();
    if (names.contains("Copy") || names.contains("MarkSweepCompact")) {
      LOG.info("garbage collector: Serial (the JVM's choice with {} core(s)): its pauses stop every event loop; "
          + "-XX:+UseG1GC had the lower p99 on one core (BENCHMARKS.md)",
          Runtime.getRuntime().availableProcessors());
    } else {
      LOG.info("garbage collector: {}", String.join(", ", names));
    }
  }

  public static void main(String[] args) {
    Path file = Path.of("conf/junction.yaml");
    for (int i = 0; i < args.length; i++) {
      if (("--config".equals(args[i]) || "-c".equals(args[i])) && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (args[i].startsWith("--config=")) {
        file = Path.of(args[i].substring("--config=".length()));
      } else {
        LOG.error("unknown argument '{}'; usage: java -jar junction.jar [--config FILE]", args[i]);
        System.exit(EXIT_CONFIG);
      }
    }
    JunctionConfig config;
    try {
      config = new ConfigLoader().load(file);
    } catch (ConfigException e) {
      LOG.error("{}: {} problem(s):", file, e.errors().size());
      e.errors().forEach(err -> LOG.error("  {}", err));
      System.exit(EXIT_CONFIG);
      return;
    }
    Junction junction;
    try {
      junction = Junction.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("Junction failed to start: {}", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      System.exit(1);
      return;
    }
    LOG.info("Junction listening on http://{}:{}/mcp with {} upstream(s): {} (network: {})", config.host(),
        junction.port(), config.upstreams().size(), String.join(", ", config.upstreams().keySet()),
        junction.vertx().isNativeTransportEnabled() ? "epoll" : "NIO");
    collector();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        junction.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("shutdown did not finish cleanly: {}", e.getMessage());
      }
    }, "junction-shutdown"));
  }
}
