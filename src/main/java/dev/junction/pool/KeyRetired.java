package dev.junction.pool;

/**
 * Fails the waiters of a key that a reload retired ({@link PoolKeys#retire}): the lease is tried
 * again on the upstream's new key, so a call that waited for a session does not fail because of
 * the reload. Never reaches a client.
 */
final class KeyRetired extends RuntimeException {
  KeyRetired() {
    super("the pool key was retired by a config reload", null, false, false);
  }
}
