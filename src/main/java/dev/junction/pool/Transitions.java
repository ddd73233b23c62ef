package dev.junction.pool;

import java.util.function.Supplier;

/**
 * Runs the pool's transitions, one at a time, on the shard context that owns the pool: each
 * transition to its end, then the {@link Completions} it returned. A completion may start the next
 * transition (a caller that got its lease releases it at once); a transition never starts inside
 * another, so no caller's code runs while pool state is half changed. Owned by the shard context.
 */
final class Transitions {
  private final Owner owner = new Owner();
  /** True while a transition runs (not while its completions run). */
  private boolean running;

  /** Runs one transition, then what it left to complete; returns those completions (for their {@code closed()}). */
  Completions run(Supplier<Completions> transition) {
    assert owner.current() : "the pool touched off its shard context";
    if (running) {
      throw new IllegalStateException("a pool transition started inside another");
    }
    running = true;
    Completions after;
    try {
      after = transition.get();
    } finally {
      running = false;
    }
    after.run();
    return after;
  }

  /** Asserts that the caller runs on the owner context (for reads outside a transition). */
  boolean onOwner() {
    return owner.current();
  }
}
