package dev.junction.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Session starts are paced: at most the limit run at once, the rest in order, a place back however a start ends. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StartGateTest {

  @Test
  void atMostTheLimitRunAtOnceAndTheRestFollowInOrder(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      StartGate gate = new StartGate(2);
      List<Promise<String>> running = new ArrayList<>();
      List<Integer> started = new ArrayList<>();
      List<Future<String>> ends = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int n = i;
        ends.add(gate.run(() -> {
          started.add(n);
          Promise<String> p = Promise.promise();
          running.add(p);
          return p.future();
        }));
      }
      assertThat(started).containsExactly(0, 1);
      assertThat(gate.queued()).isEqualTo(3);

      running.get(1).complete("one");
      assertThat(started).containsExactly(0, 1, 2);
      assertThat(ends.get(1).result()).isEqualTo("one");
      assertThat(ends.get(2).isComplete()).isFalse();

      // a start that fails gives its place back too
      running.get(0).fail("no process");
      assertThat(started).containsExactly(0, 1, 2, 3);
      assertThat(ends.get(0).failed()).isTrue();
      assertThat(gate.queued()).isEqualTo(1);

      running.get(2).complete("two");
      running.get(3).complete("three");
      assertThat(started).containsExactly(0, 1, 2, 3, 4);
      assertThat(gate.queued()).isZero();
      running.get(4).complete("four");
      assertThat(ends).allMatch(Future::isComplete);
      test.completeNow();
    }));
  }

  @Test
  void aStartThatThrowsFailsItsFutureAndFreesItsPlace(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      StartGate gate = new StartGate(1);
      Future<String> thrown = gate.run(() -> {
        throw new IllegalStateException("spawn failed");
      });
      assertThat(thrown.failed()).isTrue();
      assertThat(thrown.cause()).hasMessage("spawn failed");
      Future<String> next = gate.run(() -> Future.succeededFuture("next"));
      assertThat(next.result()).as("the place came back").isEqualTo("next");
      test.completeNow();
    }));
  }
}
