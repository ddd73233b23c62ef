package dev.junction.pool;

import java.util.HashMap;
import java.util.Map;

/**
 * Each tenant's calls in flight to each upstream on this shard, bounded by the upstream's
 * {@code maxInFlightPerTenant}, so one tenant cannot take every session of an upstream. Owned by
 * the shard context; changed only by {@link UpstreamPool}'s transitions.
 */
final class Bulkheads {
  private final Owner owner = new Owner();
  private final Map<String, Integer> inFlight = new HashMap<>();

  /** Takes a place for a call; the calls already in flight when the bulkhead is full, or -1 when taken. */
  int enter(String tenant, String upstream, int max) {
    assert owner.current() : "bulkheads touched off their shard context";
    String key = key(tenant, upstream);
    int busy = inFlight.getOrDefault(key, 0);
    if (busy >= max) {
      return busy;
    }
    inFlight.put(key, busy + 1);
    return -1;
  }

  /** Gives a call's place back. */
  void leave(String tenant, String upstream) {
    assert owner.current() : "bulkheads touched off their shard context";
    inFlight.computeIfPresent(key(tenant, upstream), (k, n) -> n <= 1 ? null : n - 1);
  }

  /** The calls in flight from a tenant to an upstream. */
  int busy(String tenant, String upstream) {
    assert owner.current() : "bulkheads touched off their shard context";
    return inFlight.getOrDefault(key(tenant, upstream), 0);
  }

  private static String key(String tenant, String upstream) {
    return tenant + '|' + upstream;
  }
}
