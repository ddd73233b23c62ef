package dev.junction.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MrtrStateTest {
  private static final String ROUND = SessionIds.create(null, 3);

  @Test
  void aGenuineStateNamesItsRound() {
    MrtrState states = new MrtrState("a-key-that-every-node-of-the-cluster-shares");
    String state = states.issue(ROUND, "tenant-a", 2_000);
    assertThat(MrtrState.ours(state)).isTrue();
    assertThat(MrtrState.roundOf(state)).isEqualTo(ROUND);
    assertThat(states.verify(state, "tenant-a", 1_000)).isEqualTo(ROUND);
    // another node with the same configured key accepts it too
    assertThat(new MrtrState("a-key-that-every-node-of-the-cluster-shares").verify(state, "tenant-a", 1_000))
        .isEqualTo(ROUND);
  }

  @Test
  void forgedExpiredAndForeignStatesAreRefused() {
    MrtrState states = new MrtrState(null);
    String state = states.issue(ROUND, "tenant-a", 2_000);
    assertThat(states.verify(state, "tenant-b", 1_000)).isNull();
    assertThat(states.verify(state, "tenant-a", 2_000)).isNull();
    assertThat(states.verify(state.replace("|2000|", "|9000|"), "tenant-a", 1_000)).isNull();
    assertThat(states.verify(state.substring(0, state.length() - 2) + "xx", "tenant-a", 1_000)).isNull();
    assertThat(states.verify(MrtrState.PREFIX + "x|y", "tenant-a", 1_000)).isNull();
    assertThat(states.verify("someone-elses-state", "tenant-a", 1_000)).isNull();
    assertThat(states.verify(42, "tenant-a", 1_000)).isNull();
    // a random key per process: another process's state is not genuine here
    assertThat(new MrtrState(null).verify(state, "tenant-a", 1_000)).isNull();
  }
}
