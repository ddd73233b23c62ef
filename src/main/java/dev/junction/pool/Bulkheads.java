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
  /** Calls in flight by tenant, then upstream; no composite key is built per call. */
  private final Map<String, Map<String, int[]>> inFlight = new HashMap<>();

  /** Takes a place for a call; the calls already in flight when the bulkhead is full, or -1 when taken. */
  int enter(String tenant, String upstream, int max) {
    assert owner.current() : "bulkheads touched off their shard context";
    Map<String, int[]> upstreams = inFlight.get(tenant);
    int[] busy = upstreams == null ? null : upstreams.get(upstream);
    int n = busy == null ? 0 : busy[0];
    if (n >= max) {
      return n;
    }
    if (busy == null) {
      if (upstreams == null) {
        upstreams = new HashMap<>(4);
        inFlight.put(tenant, upstreams);
      }
      busy = new int[1];
      upstreams.put(upstream, busy);
    }
    busy[0]++;
    return -1;
  }

  /** Gives a call's place back. */
  void leave(String tenant, String upstream) {
    assert owner.current() : "bulkheads touched off their shard context";
    Map<String, int[]> upstreams = inFlight.get(tenant);
    int[] busy = upstreams == null ? null : upstreams.get(upstream);
    if (busy == null) {
      return;
    }
    if (--busy[0] <= 0) {
      upstreams.remove(upstream);
      if (upstreams.isEmpty()) {
        inFlight.remove(tenant);
      }
    }
  }

  /** The calls in flight from a tenant to an upstream. */
  int busy(String tenant, String upstream) {
    assert owner.current() : "bulkheads touched off their shard context";
    Map<String, int[]> upstreams = inFlight.get(tenant);
    int[] busy = upstreams == null ? null : upstreams.get(upstream);
    return busy == null ? 0 : busy[0];
  }
}
