package dev.junction.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a reload changes, from the running config to a newly validated one: the settings that can
 * only change with a restart (they keep their running values in {@link #effective()}, and are
 * listed in {@link #needsRestart()}), and the upstreams added, removed and changed. Immutable;
 * a pure function of the two configs.
 *
 * @param effective the config to apply: the new one, with the restart-only settings as they run
 * @param same whether the effective config equals the running one (nothing to apply)
 * @param needsRestart the keys of changed settings that apply only after a restart
 * @param added upstreams that are new
 * @param removed upstreams that are gone
 * @param changed upstreams whose options differ (URL, command, headers, auth, pool, health, ...)
 */
public record ConfigChange(JunctionConfig effective, boolean same, List<String> needsRestart, List<String> added,
    List<String> removed, List<String> changed) {

  /** A setting that a running node cannot change: its key and how to read it. */
  private record Fixed(String key, String component, Function<JunctionConfig, Object> read) {
  }

  /** Listeners, cluster and the verticle layout are set up once, at start. */
  private static final List<Fixed> FIXED = List.of(
      new Fixed("listen.host", "host", JunctionConfig::host),
      new Fixed("listen.port", "port", JunctionConfig::port),
      new Fixed("shards", "shards", JunctionConfig::shards),
      new Fixed("ingressInstances", "ingressInstances", JunctionConfig::ingressInstances),
      new Fixed("allowedHosts", "allowedHosts", JunctionConfig::allowedHosts),
      new Fixed("limits", "limits", JunctionConfig::limits),
      new Fixed("management", "management", JunctionConfig::management),
      new Fixed("cluster", "cluster", JunctionConfig::cluster),
      new Fixed("metrics.vertx", "vertxMeters", JunctionConfig::vertxMeters),
      new Fixed("stdio.workRoot", "stdioWorkRoot", JunctionConfig::stdioWorkRoot),
      new Fixed("reload", "reload", JunctionConfig::reload),
      new Fixed("shutdown", "shutdown", JunctionConfig::shutdown),
      // the tracer and the input-required rounds' key are made once, with the verticles
      new Fixed("tracing", "tracing", JunctionConfig::tracing),
      new Fixed("mrtr", "mrtr", JunctionConfig::mrtr),
      // timers and sweepers set up with the verticles
      new Fixed("sessionIdleTimeout", "sessionIdleTimeoutMs", JunctionConfig::sessionIdleTimeoutMs),
      new Fixed("sseKeepAlive", "sseKeepAliveMs", JunctionConfig::sseKeepAliveMs),
      new Fixed("secretRefreshInterval", "secretRefreshIntervalMs", JunctionConfig::secretRefreshIntervalMs),
      new Fixed("pool.evictionInterval", "evictionIntervalMs", JunctionConfig::evictionIntervalMs));

  public ConfigChange {
    needsRestart = List.copyOf(needsRestart);
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** The change from {@code running} to {@code next} (both validated). */
  public static ConfigChange between(JunctionConfig running, JunctionConfig next) {
    List<String> restart = new ArrayList<>();
    JunctionConfig effective = next;
    for (Fixed f : FIXED) {
      if (!Objects.equals(f.read().apply(running), f.read().apply(next))) {
        restart.add(f.key());
        effective = Binder.with(effective, f.component(), f.read().apply(running));
      }
    }
    // the issuer's keys are fetched by a loop that starts with the node
    if (!Objects.equals(running.auth().issuer(), next.auth().issuer())) {
      restart.add("auth.oauth.issuer");
      effective = Binder.with(effective, "auth", Binder.with(effective.auth(), "issuer", running.auth().issuer()));
    }
    // the resource URL names the audience and, with allowedHosts, the accepted Host: both set up with the listener
    if (!Objects.equals(running.auth().resource(), next.auth().resource())) {
      restart.add("auth.resource");
      effective = Binder.with(effective, "auth", Binder.with(effective.auth(), "resource",
          running.auth().resource()));
    }
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    next.upstreams().forEach((name, u) -> {
      UpstreamOptions old = running.upstreams().get(name);
      if (old == null) {
        added.add(name);
      } else if (!old.equals(u)) {
        changed.add(name);
      }
    });
    List<String> removed = running.upstreams().keySet().stream()
        .filter(name -> !next.upstreams().containsKey(name)).toList();
    return new ConfigChange(effective, effective.equals(running), restart, added, removed, changed);
  }

  /** True when the effective config is the running one (only restart-only settings, or nothing, changed). */
  public boolean none() {
    return same;
  }

  /** True when any upstream came, went or changed. */
  public boolean upstreamsChanged() {
    return !added.isEmpty() || !removed.isEmpty() || !changed.isEmpty();
  }
}
