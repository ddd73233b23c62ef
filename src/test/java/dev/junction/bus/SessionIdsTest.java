package dev.junction.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionIdsTest {
  private static final String HERE = UUID.randomUUID().toString();
  private static final String THERE = UUID.randomUUID().toString();

  @Test
  void aSingleNodesIdNamesItsShard() {
    String id = SessionIds.create(null, 3);
    assertThat(id).startsWith("3.").hasSize(2 + 24);
    assertThat(SessionIds.owner(id, null, 4)).isEqualTo(new SessionIds.Owner(null, 3));
    assertThat(SessionIds.shardOf(id, 4)).isEqualTo(3);
    assertThat(SessionIds.shardOf(id, 3)).isEqualTo(-1);
  }

  @Test
  void aClusterIdNamesTheOwnerNodeOpaquely() {
    String id = SessionIds.create(THERE, 1);
    assertThat(id).doesNotContain(THERE).matches("[A-Za-z0-9_-]{22}\\.1\\.[A-Za-z0-9_-]{24}");
    assertThat(SessionIds.owner(id, HERE, 2)).isEqualTo(new SessionIds.Owner(THERE, 1));
    // the owner's own shards are checked by the owner
    assertThat(SessionIds.owner(SessionIds.create(THERE, 7), HERE, 2)).isEqualTo(new SessionIds.Owner(THERE, 7));
    assertThat(SessionIds.owner(id, THERE, 2)).isEqualTo(new SessionIds.Owner(null, 1));
    assertThat(SessionIds.owner(SessionIds.create(HERE, 7), HERE, 2)).isNull();
    assertThat(SessionIds.create(THERE, 1)).isNotEqualTo(id);
  }

  @Test
  void malformedIdsHaveNoOwner() {
    for (String id : new String[] {"", ".", "x.y", "-1.abc", "12345.abc", "1", "abc.1.tok", "..", "1.2.3"}) {
      assertThat(SessionIds.owner(id, HERE, 4)).as(id).isNull();
    }
    // a cluster's id on a single node
    assertThat(SessionIds.owner(SessionIds.create(THERE, 1), null, 4)).isNull();
  }
}
