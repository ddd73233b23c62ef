package dev.junction;

import ch.qos.logback.classic.LoggerContext;
import dev.junction.config.ConfigException;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import dev.junction.config.ShutdownOptions;
import io.vertx.core.VertxOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar junction.jar [--config FILE] [--validate] [--help] [--version]}: loads the
 * config (default {@code conf/junction.yaml}) and runs the gateway until the process is stopped.
 * An invalid config exits with status 2 after listing every problem. SIGTERM drains
 * ({@link Junction#drain}) and exits 0; a second SIGTERM ends the process at once. SIGHUP reads
 * the config file again ({@link Junction#reload}).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** Exit status for a bad command line or config. */
  public static final int EXIT_CONFIG = 2;
  /** Exit status when a second SIGTERM cuts a drain short: 128 + 15, as if the signal had killed the process. */
  static final int EXIT_TERMINATED = 143;
  /** Beyond the drain's own bounds, how long the last step (closing upstream sessions) may take. */
  private static final long CLOSE_GRACE_MS = 15_000;

  // written by the signal handler threads, read by the shutdown hook
  private static volatile boolean draining;

  private Main() {
  }

  /**
   * Names the garbage collector. With fewer than 2 cores (a container limited to one CPU, a pinned
   * process) the JVM picks the Serial collector, whose pauses stop every event loop: BENCHMARKS.md
   * measured a higher p99 with it than with G1 on one core.
   */
  private static void collector() {
    List<String> names = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).toList();
    if (names.contains("Copy") || names.contains("MarkSweepCompact")) {
      LOG.info("garbage collector: Serial (the JVM's choice with {} core(s)): its pauses stop every event loop; "
          + "-XX:+UseG1GC had the lower p99 on one core (BENCHMARKS.md)",
          Runtime.getRuntime().availableProcessors());
    } else {
      LOG.info("garbage collector: {}", String.join(", ", names));
    }
  }

  public static void main(String[] args) {
    Cli cli;
    try {
      cli = Cli.parse(args);
    } catch (IllegalArgumentException e) {
      LOG.error("{}; see --help", e.getMessage());
      exit(EXIT_CONFIG);
      return;
    }
    switch (cli.action()) {
      case HELP -> {
        Cli.out().print(Cli.USAGE);
        Cli.out().flush();
        return;
      }
      case VERSION -> {
        Cli.out().println("junction " + Cli.version());
        Cli.out().flush();
        return;
      }
      default -> {
        // validate or run: both load the config first
      }
    }
    JunctionConfig config;
    try {
      config = new ConfigLoader().load(cli.config());
    } catch (ConfigException e) {
      LOG.error("{}: {} problem(s):", cli.config(), e.errors().size());
      e.errors().forEach(err -> LOG.error("  {}", err));
      exit(EXIT_CONFIG);
      return;
    }
    if (cli.action() == Cli.Action.VALIDATE) {
      Cli.out().println(cli.config() + ": valid (" + config.upstreams().size() + " upstream(s))");
      Cli.out().flush();
      return;
    }
    run(config, cli.config());
  }

  private static void run(JunctionConfig config, Path file) {
    LOG.info("Junction {} starting (Java {})", Cli.version(), Runtime.version());
    Junction junction;
    try {
      junction = Junction.start(config, new VertxOptions(), file).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("Junction failed to start: {}", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      exit(1);
      return;
    }
    LOG.info("Junction listening on http://{}:{}/mcp with {} upstream(s): {} (network: {})", config.host(),
        junction.port(), config.upstreams().size(), String.join(", ", config.upstreams().keySet()),
        junction.vertx().isNativeTransportEnabled() ? "epoll" : "NIO");
    if (config.management() != null) {
      LOG.info("management (/healthz, /readyz, /metrics, /admin) on http://{}:{}", config.management().host(),
          junction.managementPort());
    }
    collector();
    onSigterm(junction, config.shutdown());
    onSighup(junction);
    // Ctrl-C (SIGINT) and System.exit: no drain, upstream sessions are closed at once
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (draining) {
        return;
      }
      try {
        junction.close().toCompletionStage().toCompletableFuture().get(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("shutdown did not finish cleanly: {}", e.getMessage());
      }
    }, "junction-shutdown"));
  }

  /**
   * SIGTERM drains (readiness off, in-flight requests finish, upstream sessions end) and exits 0.
   * The JVM runs each signal's handler on a thread of its own, so waiting here blocks no event
   * loop, and a second SIGTERM is handled while the first still waits: it ends the process at once.
   */
  private static void onSigterm(Junction junction, ShutdownOptions shutdown) {
    Signal.handle(new Signal("TERM"), sig -> {
      if (draining) {
        LOG.warn("second SIGTERM: stopping at once");
        exit(EXIT_TERMINATED);
        return;
      }
      draining = true;
      int status = 0;
      try {
        junction.drain(shutdown).toCompletionStage().toCompletableFuture()
            .get(shutdown.drainDelayMs() + shutdown.timeoutMs() + CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        LOG.info("drained; exiting");
      } catch (Exception e) {
        LOG.warn("drain did not finish cleanly: {}", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        status = 1;
      }
      // System.exit, not halt: the JVM's own hooks still run (a Flight Recording is written, the
      // cluster manager's hook finds the node gone); ours returns at once while draining
      flushLog();
      System.exit(status);
    });
  }

  /**
   * SIGHUP reads the config file again and applies it when valid (README, "Changing the config at
   * runtime"); an invalid file is logged and changes nothing. Without this handler SIGHUP would end
   * the process. The handler only sends a request: the reload verticle does the work.
   */
  private static void onSighup(Junction junction) {
    Signal.handle(new Signal("HUP"), sig -> junction.reload("SIGHUP").onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("SIGHUP: the reload did not answer ({})", ar.cause().getMessage());
      } else if (ar.result().accepted()) {
        LOG.info("SIGHUP: config {}, version {} runs", ar.result().outcome(), ar.result().version());
      }
    }));
  }

  /** Flushes the log (its queue is asynchronous) and stops the JVM without running the shutdown hooks again. */
  private static void exit(int status) {
    flushLog();
    Runtime.getRuntime().halt(status);
  }

  private static void flushLog() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.stop();
    }
  }
}
