package dev.junction.pool;

import dev.junction.config.Sharing;
import dev.junction.config.UpstreamOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * What a shard learned each HTTP upstream speaks: the stateless revision 2026-07-28 or a
 * session-based one. It decides whether new sessions probe with server/discover first, and what
 * {@code sharing: auto} means. Owned by the shard context.
 */
final class UpstreamRevisions {
  private final Map<String, Boolean> stateless = new HashMap<>();

  /** Whether a new session should first try 2026-07-28 (unknown yet, or it spoke it last time). */
  boolean mayBeStateless(String upstream) {
    return stateless.getOrDefault(upstream, true);
  }

  /** Records what an upstream spoke, so later sessions skip the probe or the handshake. */
  void learned(String upstream, boolean speaksStateless) {
    stateless.put(upstream, speaksStateless);
  }

  /**
   * True when sessions of this scope and upstream are the scope's alone: the {@code client}
   * policy, which {@code auto} means for session clients of upstreams that keep sessions. A
   * 2026-07-28 upstream keeps no state, so there {@code auto} shares per tenant.
   */
  boolean perClient(UpstreamOptions upstream, Scope scope) {
    return scope.session() != null && (upstream.sharing() == Sharing.CLIENT
        || (upstream.sharing() == Sharing.AUTO && !stateless.getOrDefault(upstream.name(), false)));
  }
}
