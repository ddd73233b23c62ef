package dev.junction.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One timer serves every deadline of a session, in whatever order they come. */
@ExtendWith(VertxExtension.class)
class DeadlinesTest {
  private static final long MS = 1_000_000;

  /** Requests by deadline, as a session holds them; a sweep ends the due ones. */
  private static final class Requests {
    final Map<Long, String> pending = new TreeMap<>();
    final List<String> ended = new ArrayList<>();
    final List<Long> lateness = new ArrayList<>();
    int sweeps;

    long due(long now) {
      sweeps++;
      long next = Long.MAX_VALUE;
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (e.getKey() <= now) {
          ended.add(e.getValue());
          lateness.add(now - e.getKey());
          it.remove();
        } else {
          next = Math.min(next, e.getKey());
        }
      }
      return next;
    }
  }

  /** Runs {@code body} on an event-loop context, with fresh requests and their deadlines. */
  private static void onContext(Vertx vertx, BiConsumer<Requests, Deadlines> body) {
    vertx.runOnContext(v -> {
      Requests requests = new Requests();
      body.accept(requests, new Deadlines(vertx, requests::due));
    });
  }

  @Test
  void eachRequestEndsAtItsDeadlineNotBeforeWhateverTheOrder(Vertx vertx, VertxTestContext test) {
    onContext(vertx, (requests, deadlines) -> {
      long now = System.nanoTime();
      // a later deadline first, then an earlier one: the timer moves to the earlier
      for (long[] r : new long[][] {{300, 'c'}, {100, 'a'}, {200, 'b'}, {200, 'B'}}) {
        requests.pending.put(now + r[0] * MS + (r[1] == 'B' ? 1 : 0), String.valueOf((char) r[1]));
        deadlines.add(now + r[0] * MS + (r[1] == 'B' ? 1 : 0));
      }
      vertx.setTimer(600, t -> test.verify(() -> {
        assertThat(requests.ended).containsExactly("a", "b", "B", "c");
        // never early (a sweep ends only what is due), and not held back by the later ones
        assertThat(requests.lateness).allMatch(late -> late >= 0 && late < 250 * MS);
        test.completeNow();
      }));
    });
  }

  @Test
  void answeredRequestsCostNoTimerAndAStoppedSessionNoSweep(Vertx vertx, VertxTestContext test) {
    onContext(vertx, (requests, deadlines) -> {
      long now = System.nanoTime();
      for (int i = 0; i < 1_000; i++) {
        // each answered at once, as calls are: the first one armed the timer, the rest leave it be
        deadlines.add(now + (100 + i) * MS);
      }
      vertx.setTimer(300, t -> test.verify(() -> {
        // one sweep for the earliest deadline found nothing due and named no next one
        assertThat(requests.sweeps).isEqualTo(1);
        assertThat(requests.ended).isEmpty();
        requests.pending.put(System.nanoTime() + 50 * MS, "late");
        deadlines.add(System.nanoTime() + 50 * MS);
        deadlines.stop();
        vertx.setTimer(200, t2 -> test.verify(() -> {
          assertThat(requests.sweeps).isEqualTo(1);
          assertThat(requests.ended).isEmpty();
          test.completeNow();
        }));
      }));
    });
  }
}
