package dev.junction.pool;

import io.vertx.core.Vertx;

/**
 * The request timeouts of one upstream session on a single timer, armed for the earliest
 * deadline. A request that is answered costs no timer operation at all: a timer set and
 * cancelled per request was a measurable part of a call's CPU, and requests of one session
 * with one timeout have deadlines in the order they were sent, so the timer rarely moves.
 * When it fires, the session ends what is due and names its next deadline. Deadlines are
 * {@link System#nanoTime()} values. Owned by the session's shard context.
 */
final class Deadlines {
  /** Ends the requests due at {@code now}; returns the earliest deadline left, or {@link Long#MAX_VALUE}. */
  interface Sweep {
    long due(long now);
  }

  private static final long NANOS_PER_MS = 1_000_000;

  private final Vertx vertx;
  private final Sweep sweep;
  private long timer = -1;
  /** What the timer is armed for; {@link Long#MAX_VALUE} while it is not. */
  private long armedFor = Long.MAX_VALUE;

  Deadlines(Vertx vertx, Sweep sweep) {
    this.vertx = vertx;
    this.sweep = sweep;
  }

  /** A request is due at {@code deadline}: the timer fires no later than that. */
  void add(long deadline) {
    if (deadline >= armedFor) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    armedFor = deadline;
    long ms = Math.max(1, (deadline - System.nanoTime() + NANOS_PER_MS - 1) / NANOS_PER_MS);
    timer = vertx.setTimer(ms, t -> fire());
  }

  private void fire() {
    timer = -1;
    armedFor = Long.MAX_VALUE;
    // what the sweep ends may send new requests, which arm the timer again; add keeps the earlier
    long next = sweep.due(System.nanoTime());
    if (next != Long.MAX_VALUE) {
      add(next);
    }
  }

  /** No request is left (the session closed): the timer stops. */
  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    armedFor = Long.MAX_VALUE;
  }
}
