package dev.junction.testkit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling for a condition on the JUnit thread. */
public final class Await {
  private Await() {
  }

  /** Polls every 50 ms until the condition holds; fails naming what was awaited after {@code seconds}. */
  public static void until(BooleanSupplier condition, long seconds, String what) {
    until(condition, seconds, what, () -> "");
  }

  /** As {@link #until(BooleanSupplier, long, String)}, with what was seen instead at the deadline. */
  public static void until(BooleanSupplier condition, long seconds, String what, Supplier<String> seen) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        String instead = seen.get();
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what
            + (instead.isEmpty() ? "" : "; saw " + instead));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }
}
