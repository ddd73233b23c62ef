package dev.junction.pool;

/**
 * The right to send calls on one pooled session until {@link UpstreamPool#release} is called.
 * {@code probe} marks a health probe's lease: its outcome goes to the health verticle as the
 * probe's answer, not as a call outcome.
 */
record Lease(KeyPool pool, KeyPool.Entry entry, boolean probe) {
  UpstreamSession session() {
    return entry.session;
  }
}
