package dev.junction.config;

/** How an upstream's sessions are shared (decided per upstream). */
public enum Sharing {
  /** Stateless when the upstream speaks 2026-07-28; otherwise client for session clients, tenant for stateless ones. */
  AUTO("auto"),
  /** Pooled sessions shared by all requests of one tenant. */
  TENANT("tenant"),
  /** One upstream session per downstream session. */
  CLIENT("client"),
  /** No upstream session (2026-07-28 upstreams). */
  STATELESS("stateless");

  private final String key;

  Sharing(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  static Sharing of(String key) {
    for (Sharing s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }
}
