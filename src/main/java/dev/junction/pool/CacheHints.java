package dev.junction.pool;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The caching hints of 2026-07-28 results ({@code ttlMs}, {@code cacheScope}: server/utilities/caching)
 * on results the gateway builds or edits, so that they describe what the gateway did rather than
 * what one upstream said: a merged list lives as long as its shortest-lived page, and is shareable
 * ({@code public}) only when every page is and no tenant's view shaped it. Pure.
 */
final class CacheHints {
  static final String TTL = "ttlMs";
  static final String SCOPE = "cacheScope";
  static final String PUBLIC = "public";
  static final String PRIVATE = "private";

  private CacheHints() {
  }

  /**
   * Puts the hints of a list merged from {@code pages} on {@code merged}.
   *
   * @param complete false when an upstream was left out: a partial list is not to be kept
   * @param tenantView true when the list was chosen or filtered for one tenant
   */
  static JsonObject merge(JsonObject merged, List<JsonObject> pages, boolean complete, boolean tenantView) {
    long ttl = complete && !pages.isEmpty() ? Long.MAX_VALUE : 0;
    boolean shareable = complete && !tenantView;
    for (JsonObject page : pages) {
      ttl = Math.min(ttl, ttlOf(page));
      shareable &= PUBLIC.equals(page.getValue(SCOPE));
    }
    return merged.put(TTL, ttl == Long.MAX_VALUE ? 0 : ttl).put(SCOPE, shareable ? PUBLIC : PRIVATE);
  }

  /** A page's {@code ttlMs}: 0 when it gives none (or a bad one), which means "do not keep". */
  static long ttlOf(JsonObject page) {
    return page.getValue(TTL) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }

  /** A result edited for one tenant (a list filtered by its rules): never shareable beyond it. */
  static JsonObject narrowed(JsonObject result) {
    return PUBLIC.equals(result.getValue(SCOPE)) ? result.put(SCOPE, PRIVATE) : result;
  }

  /** A cached page as it is served later: its {@code ttlMs} is what remains of it, if it gave one. */
  static JsonObject remaining(JsonObject page, long remainingMs) {
    return page.containsKey(TTL) ? page.copy().put(TTL, Math.max(0, remainingMs)) : page;
  }
}
