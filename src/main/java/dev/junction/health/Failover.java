package dev.junction.health;

import dev.junction.bus.UpstreamState;
import java.util.Map;

/** Who takes an upstream's traffic, given every upstream's health. A pure function. */
final class Failover {
  private Failover() {
  }

  /**
   * The primary while it serves and is up; after a failover, the primary again only once it has
   * been Healthy for {@code failbackAfter}. Otherwise the first failover member whose circuit is
   * closed; otherwise the primary if it is up; otherwise the primary anyway (its open circuit
   * answers).
   */
  static String choose(Monitor primary, Map<String, Monitor> all, long now) {
    String name = primary.name();
    boolean servedByPrimary = primary.serving.equals(name);
    boolean recovered = primary.state == UpstreamState.HEALTHY
        && now - primary.healthySince >= primary.options.health().failbackAfterMs();
    if (primary.up() && (servedByPrimary || recovered)) {
      return name;
    }
    for (String member : primary.options.failover()) {
      Monitor backup = all.get(member);
      if (backup != null && backup.up()) {
        return member;
      }
    }
    return name;
  }
}
