package dev.junction.reload;

import dev.junction.bus.Addresses;
import dev.junction.bus.ConfigApplied;
import dev.junction.bus.ConfigChanged;
import dev.junction.bus.ReloadConfig;
import dev.junction.bus.ReloadReply;
import dev.junction.config.ConfigChange;
import dev.junction.config.ConfigException;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import dev.junction.config.ReloadOptions;
import dev.junction.metrics.ReloadMetrics;
import dev.junction.routing.Names;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the running config and its version. The config file's content is polled (so a ConfigMap's
 * symlink swap or an editor's rename reads like any write) and applied once it has stayed the
 * same for the debounce; {@link ReloadConfig} reloads at once. A reload parses and validates the
 * whole file off the event loop; an invalid one changes nothing. A valid one becomes the next
 * version, published to this node's verticles as one {@link ConfigChanged}; it is "applied" once
 * every ingress instance and shard has said so ({@link ConfigApplied}), so the next request runs on
 * it wherever it lands. Reloads run one at a time: requests that come during one are answered by
 * the next, which reads the file again.
 */
public final class ReloadVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadVerticle.class);
  /** How long a reload waits for every ingress instance and shard to apply it before it answers anyway. */
  static final long APPLY_WAIT_MS = 5_000;

  private final Path file;
  private final ConfigLoader loader;
  private final ReloadOptions options;

  // Owned by this verticle's context.
  private JunctionConfig running;
  private long version = 1;
  private ReloadMetrics metrics;
  private MessageConsumer<ReloadConfig> consumer;
  private long poller = -1;
  /** The hash of the last content a reload read (applied, unchanged or rejected). */
  private String seen;
  /** A changed content waiting for the debounce: its hash and since when it has stayed so. */
  private String pending;
  private long pendingSince;
  private boolean reloading;
  private List<Promise<ReloadReply>> waiting = new ArrayList<>();
  /** The instances yet to apply the version being published, and the reload's answer when they have. */
  private int applying;
  private Promise<Void> applied;

  /**
   * @param config the config the node started with (version 1)
   * @param file the config file, or null when the config came from elsewhere (nothing to reload)
   */
  public ReloadVerticle(JunctionConfig config, Path file, ConfigLoader loader) {
    this.running = config;
    this.file = file;
    this.loader = loader;
    this.options = config.reload();
  }

  @Override
  public Future<?> start() {
    metrics = ReloadMetrics.create();
    vertx.eventBus().<ConfigApplied>localConsumer(Addresses.CONFIG_APPLIED, m -> {
      if (m.body().version() == version && applied != null && --applying == 0) {
        applied.tryComplete();
      }
    });
    consumer = vertx.eventBus().localConsumer(Addresses.CONFIG_RELOAD, m -> {
      LOG.info("config reload asked ({})", m.body().trigger());
      reload(m.body().trigger()).onComplete(ar -> m.reply(ar.result()));
    });
    if (file != null && options.watch()) {
      poller = vertx.setPeriodic(options.pollIntervalMs(), t -> poll());
    }
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(poller);
    return Future.succeededFuture();
  }

  /** Reads the file; a content unlike the last one read is reloaded once it has kept still for the debounce. */
  private void poll() {
    if (reloading) {
      return;
    }
    vertx.fileSystem().readFile(file.toString()).onComplete(ar -> {
      if (ar.failed() || reloading) {
        return; // mid-swap, or gone for a moment: the next poll looks again
      }
      String hash = Names.sha256Hex(ar.result().toString(StandardCharsets.UTF_8));
      long now = System.currentTimeMillis();
      if (hash.equals(seen)) {
        pending = null;
        return;
      }
      if (!hash.equals(pending)) {
        pending = hash;
        pendingSince = now;
      }
      if (now - pendingSince >= options.debounceMs()) {
        pending = null;
        reload("file changed");
      }
    });
  }

  /** Reloads now, or right after the reload that runs; the reply says how it ended. */
  private Future<ReloadReply> reload(String trigger) {
    Promise<ReloadReply> reply = Promise.promise();
    waiting.add(reply);
    if (!reloading) {
      next(trigger);
    }
    return reply.future();
  }

  private void next(String trigger) {
    List<Promise<ReloadReply>> answering = waiting;
    waiting = new ArrayList<>();
    reloading = true;
    read().compose(this::validate).transform(ar -> ar.succeeded() ? apply(ar.result(), trigger)
        : Future.succeededFuture(rejected(ar.cause()))).onComplete(ar -> {
      ReloadReply reply = ar.result();
      metrics.reloaded(reply.outcome(), version);
      answering.forEach(p -> p.complete(reply));
      reloading = false;
      if (!waiting.isEmpty()) {
        next(trigger);
      }
    });
  }

  private Future<Buffer> read() {
    if (file == null) {
      return Future.failedFuture(new ConfigException(List.of("(file): the gateway was not started from a file")));
    }
    return vertx.fileSystem().readFile(file.toString()).recover(err -> Future.failedFuture(
        new ConfigException(List.of(file + ": cannot read (" + err.getClass().getSimpleName() + ")"))));
  }

  /**
   * Parses and validates the whole file and compares it with the running config, off the event
   * loop (the first comparison of the config records links their equals, which takes a while).
   */
  private Future<ConfigChange> validate(Buffer content) {
    String text = content.toString(StandardCharsets.UTF_8);
    seen = Names.sha256Hex(text);
    JunctionConfig base = running; // reloads run one at a time: it stays the running one meanwhile
    return vertx.executeBlocking(() -> ConfigChange.between(base, loader.parse(text)), false);
  }

  private ReloadReply rejected(Throwable err) {
    List<String> errors = err instanceof ConfigException e ? e.errors()
        : List.of("(file): " + err.getClass().getSimpleName());
    LOG.error("config reload rejected, nothing changed (version {} runs): {} problem(s):", version, errors.size());
    errors.forEach(e -> LOG.error("  {}", e));
    return new ReloadReply(ReloadReply.REJECTED, version, errors, List.of());
  }

  private Future<ReloadReply> apply(ConfigChange change, String trigger) {
    if (!change.needsRestart().isEmpty()) {
      LOG.warn("config reload: {} changed but apply(ies) only after a restart; the running values stay",
          String.join(", ", change.needsRestart()));
    }
    if (change.same()) {
      LOG.info("config reload ({}): nothing to apply, version {} runs", trigger, version);
      return Future.succeededFuture(new ReloadReply(ReloadReply.UNCHANGED, version, List.of(),
          change.needsRestart()));
    }
    running = change.effective();
    version++;
    applying = running.shards() + running.ingressInstances();
    applied = Promise.promise();
    long late = vertx.setTimer(APPLY_WAIT_MS, t -> {
      LOG.warn("config version {}: {} ingress instance(s) or shard(s) had not applied it after {} ms", version,
          applying, APPLY_WAIT_MS);
      applied.tryComplete();
    });
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, new ConfigChanged(version, running),
        new DeliveryOptions().setLocalOnly(true));
    LOG.info("config version {} applied ({}); upstreams added: {}, removed: {}, changed: {}", version, trigger,
        change.added(), change.removed(), change.changed());
    ReloadReply reply = new ReloadReply(ReloadReply.APPLIED, version, List.of(), change.needsRestart());
    return applied.future().map(v -> {
      vertx.cancelTimer(late);
      applied = null;
      return reply;
    });
  }
}
