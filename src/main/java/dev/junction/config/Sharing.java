package dev.junction.config;

/** How an upstream's sessions are shared (decided per upstream). */
public enum Sharing {
  /** Stateless when the upstream speaks 2026-07-28; otherwise client for session clients, tenant for stateless ones. */
  AUTO,
  /** Pooled sessions shared by all requests of one tenant. */
  TENANT,
  /** One upstream session per downstream session. */
  CLIENT,
  /** No upstream session (2026-07-28 upstreams). */
  STATELESS
}
