package dev.junction.config;

import dev.junction.binding.Records;
import java.util.ArrayList;
import java.util.List;

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

  public ConfigChange {
    needsRestart = List.copyOf(needsRestart);
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** The change from {@code running} to {@code next} (both validated). */
  public static ConfigChange between(JunctionConfig running, JunctionConfig next) {
    // listeners, cluster, the verticle layout, timers and the issuer's key loop are set up at start:
    // their keys say restart = true, and keep their running values
    List<String> restart = new ArrayList<>();
    JunctionConfig effective = Records.keepRestartKeys(running, next, "", restart);
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

  /** True when any upstream came, went or changed. */
  public boolean upstreamsChanged() {
    return !added.isEmpty() || !removed.isEmpty() || !changed.isEmpty();
  }
}
