package dev.junction.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Session ids name their shard and are otherwise unguessable. */
class SessionIdsFormatTest {
  @Test
  void anIdIsItsShardADotAnd144RandomBits() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String id = SessionIds.create(null, 7);
      assertThat(id).matches("7\\.[A-Za-z0-9_-]{24}");
      seen.add(id);
    }
    assertThat(seen).hasSize(1_000);
  }
}
