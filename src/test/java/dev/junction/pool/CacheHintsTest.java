package dev.junction.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheHintsTest {
  private static JsonObject page(Long ttl, String scope) {
    JsonObject p = new JsonObject();
    if (ttl != null) {
      p.put("ttlMs", ttl);
    }
    return scope == null ? p : p.put("cacheScope", scope);
  }

  @Test
  void aMergedListTakesTheShortestTtlAndIsPublicOnlyWhenEveryPageIs() {
    JsonObject merged = CacheHints.merge(new JsonObject(),
        List.of(page(60_000L, "public"), page(5_000L, "public")), true, false);
    assertThat(merged.getLong("ttlMs")).isEqualTo(5_000L);
    assertThat(merged.getString("cacheScope")).isEqualTo("public");
    JsonObject mixed = CacheHints.merge(new JsonObject(),
        List.of(page(60_000L, "public"), page(30_000L, "private")), true, false);
    assertThat(mixed.getLong("ttlMs")).isEqualTo(30_000L);
    assertThat(mixed.getString("cacheScope")).isEqualTo("private");
  }

  @Test
  void aPageWithoutHintsALeftOutUpstreamOrATenantsViewIsNotShared() {
    JsonObject noHints = CacheHints.merge(new JsonObject(), List.of(page(60_000L, "public"), page(null, null)),
        true, false);
    assertThat(noHints.getLong("ttlMs")).isZero();
    assertThat(noHints.getString("cacheScope")).isEqualTo("private");
    JsonObject partial = CacheHints.merge(new JsonObject(), List.of(page(60_000L, "public")), false, false);
    assertThat(partial.getLong("ttlMs")).isZero();
    assertThat(partial.getString("cacheScope")).isEqualTo("private");
    JsonObject tenant = CacheHints.merge(new JsonObject(), List.of(page(60_000L, "public")), true, true);
    assertThat(tenant.getLong("ttlMs")).isEqualTo(60_000L);
    assertThat(tenant.getString("cacheScope")).isEqualTo("private");
    assertThat(CacheHints.merge(new JsonObject(), List.of(), true, false).getLong("ttlMs")).isZero();
  }

  @Test
  void aFilteredResultIsNarrowedAndACachedPageShowsWhatRemains() {
    assertThat(CacheHints.narrowed(page(1_000L, "public")).getString("cacheScope")).isEqualTo("private");
    assertThat(CacheHints.narrowed(page(null, null)).containsKey("cacheScope")).isFalse();
    JsonObject cached = page(60_000L, "public");
    assertThat(CacheHints.remaining(cached, 12_345).getLong("ttlMs")).isEqualTo(12_345L);
    assertThat(cached.getLong("ttlMs")).as("the cached page itself is not edited").isEqualTo(60_000L);
    assertThat(CacheHints.remaining(page(null, null), 5).containsKey("ttlMs")).isFalse();
  }
}
