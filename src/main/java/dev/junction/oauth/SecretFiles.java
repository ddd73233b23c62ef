package dev.junction.oauth;

import dev.junction.bus.Addresses;
import dev.junction.bus.CredentialsChanged;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Header values read from files ({@code headerFiles}: secrets as Kubernetes mounts them), read
 * again every {@code secretRefreshInterval}; a changed value is published, so shards move new
 * calls to sessions with the new credential while the old ones drain. Values are never logged.
 * Owned by the OAuth verticle's context.
 */
final class SecretFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);

  private final Vertx vertx;
  // replaced by each new config version (configure), on the OAuth context
  private JunctionConfig config;
  private final Map<String, Map<String, String>> values = new HashMap<>();
  private long refresher = -1;

  SecretFiles(Vertx vertx, JunctionConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Reads the files once; then again on a timer. */
  Future<Void> start() {
    boolean any = config.upstreams().values().stream().anyMatch(u -> !u.headerFiles().isEmpty());
    if (any) {
      refresher = vertx.setPeriodic(config.secretRefreshIntervalMs(), t -> read(true));
    }
    return read(false);
  }

  /**
   * Takes a config version: values of removed upstreams go, and the files are read again now (an
   * upstream whose values changed is published as changed, so its sessions are renewed).
   */
  Future<Void> configure(JunctionConfig next) {
    config = next;
    values.keySet().retainAll(next.upstreams().keySet());
    if (refresher < 0 && next.upstreams().values().stream().anyMatch(u -> !u.headerFiles().isEmpty())) {
      refresher = vertx.setPeriodic(next.secretRefreshIntervalMs(), t -> read(true));
    }
    return read(true);
  }

  void stop() {
    vertx.cancelTimer(refresher);
  }

  Map<String, String> values(String upstream) {
    return values.getOrDefault(upstream, Map.of());
  }

  /** Reads every header file (off the event loop) and publishes the upstreams whose values changed. */
  private Future<Void> read(boolean publish) {
    List<UpstreamOptions> withFiles = config.upstreams().values().stream().filter(u -> !u.headerFiles().isEmpty())
        .toList();
    if (withFiles.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      Map<String, Map<String, String>> read = new HashMap<>();
      for (UpstreamOptions u : withFiles) {
        Map<String, String> found = new LinkedHashMap<>();
        u.headerFiles().forEach((header, file) -> {
          try {
            found.put(header, Files.readString(Path.of(file)).strip());
          } catch (IOException e) {
            // keep the last good value; never log the value, only where it should be
            LOG.warn("upstream {}: cannot read header file for {} ({})", u.name(), header, e.getClass()
                .getSimpleName());
          }
        });
        read.put(u.name(), found);
      }
      return read;
    }, false).map(read -> {
      List<String> changed = new ArrayList<>();
      read.forEach((upstream, found) -> {
        Map<String, String> merged = new LinkedHashMap<>(values.getOrDefault(upstream, Map.of()));
        merged.putAll(found);
        if (!merged.equals(values.put(upstream, merged)) && publish) {
          changed.add(upstream);
        }
      });
      for (String upstream : changed) {
        LOG.info("upstream {}: credentials changed; new calls get new sessions", upstream);
        vertx.eventBus().publish(Addresses.CREDENTIALS_CHANGED, new CredentialsChanged(upstream, null));
      }
      return null;
    });
  }
}
