package dev.junction.pool;

/**
 * The right to send calls on one pooled session until {@link UpstreamPool#release} is called.
 * {@code probe} marks the one call a half-open circuit lets through.
 */
record Lease(KeyPool pool, KeyPool.Entry entry, boolean probe) {
  UpstreamSession session() {
    return entry.session;
  }
}
