package dev.junction.oauth;

import dev.junction.bus.Addresses;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import dev.junction.pool.Credentials;
import dev.junction.pool.CredentialsChanged;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
 * Owns upstream credentials. Shards ask it for the headers to open an upstream session with; the
 * client's own token is never among them. Today these are the upstream's static {@code headers}
 * plus {@code headerFiles}, secrets read from files (as Kubernetes mounts them) and read again
 * every {@code secretRefreshInterval}: a changed secret is published, and shards move new calls to
 * sessions with the new credential while the old ones drain. Token grants arrive with the
 * authentication issue and live here too. Secret values are never logged. One instance.
 */
public final class OAuthVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OAuthVerticle.class);

  private final JunctionConfig config;

  // Owned by this verticle's context.
  private final Map<String, Map<String, String>> fromFiles = new HashMap<>();
  private long refresher;

  public OAuthVerticle(JunctionConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    var consumer = vertx.eventBus().<CredentialsRequest>localConsumer(Addresses.OAUTH_TOKEN, m -> {
      UpstreamOptions upstream = config.upstreams().get(m.body().upstream());
      Map<String, String> headers = new LinkedHashMap<>();
      if (upstream != null) {
        headers.putAll(upstream.headers());
        headers.putAll(fromFiles.getOrDefault(upstream.name(), Map.of()));
      }
      m.reply(new Credentials(headers));
    });
    boolean anyFiles = config.upstreams().values().stream().anyMatch(u -> !u.headerFiles().isEmpty());
    if (anyFiles) {
      refresher = vertx.setPeriodic(config.secretRefreshIntervalMs(), t -> refresh(true));
    }
    return consumer.completion().compose(v -> refresh(false));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(refresher);
    return Future.succeededFuture();
  }

  /** Reads every header file (off the event loop) and publishes the upstreams whose values changed. */
  private Future<Void> refresh(boolean publish) {
    List<UpstreamOptions> withFiles = config.upstreams().values().stream().filter(u -> !u.headerFiles().isEmpty()).toList();
    if (withFiles.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      Map<String, Map<String, String>> read = new HashMap<>();
      for (UpstreamOptions u : withFiles) {
        Map<String, String> values = new LinkedHashMap<>();
        u.headerFiles().forEach((header, file) -> {
          try {
            values.put(header, Files.readString(Path.of(file)).strip());
          } catch (IOException e) {
            // keep the last good value; never log the value, only where it should be
            LOG.warn("upstream {}: cannot read header file for {} ({})", u.name(), header, e.getClass().getSimpleName());
          }
        });
        read.put(u.name(), values);
      }
      return read;
    }, false).map(read -> {
      List<String> changed = new ArrayList<>();
      read.forEach((upstream, values) -> {
        Map<String, String> merged = new LinkedHashMap<>(fromFiles.getOrDefault(upstream, Map.of()));
        merged.putAll(values);
        if (!merged.equals(fromFiles.put(upstream, merged)) && publish) {
          changed.add(upstream);
        }
      });
      for (String upstream : changed) {
        LOG.info("upstream {}: credentials changed; new calls get new sessions", upstream);
        vertx.eventBus().publish(Addresses.CREDENTIALS_CHANGED, new CredentialsChanged(upstream));
      }
      return null;
    });
  }
}
