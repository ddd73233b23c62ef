package dev.junction.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Paces the session starts of one upstream on one shard: at most {@code limit} run at once and
 * the rest wait their turn in order. Sixteen processes spawned at once on two cores all start
 * slowly and time out together; started two at a time they come up one after another. Owned by
 * the shard context.
 */
final class StartGate {
  private final int limit;
  private final Deque<Runnable> queued = new ArrayDeque<>();
  private int running;
  private final Owner owner = new Owner();

  StartGate(int limit) {
    this.limit = limit;
  }

  /** Runs {@code start} once a place is free; the place is given back when its future ends. */
  <T> Future<T> run(Supplier<Future<T>> start) {
    assert owner.current() : "a start gate touched off its shard context";
    Promise<T> promise = Promise.promise();
    Runnable go = () -> {
      running++;
      Future<T> started;
      try {
        started = start.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(ar -> {
        running--;
        Runnable next = queued.poll();
        if (next != null) {
          next.run();
        }
      }).onComplete(promise);
    };
    if (running < limit) {
      go.run();
    } else {
      queued.add(go);
    }
    return promise.future();
  }

  /** Starts waiting for a place. */
  int queued() {
    return queued.size();
  }
}
