package dev.junction.pool;

import io.vertx.core.Vertx;

/**
 * The context that owns a piece of pool state, captured when the state is created. Pool state is
 * created on its shard's event-loop context; that context (and its duplicates) runs on one thread,
 * so the check compares threads, which is cheap. Meant for {@code assert owner.current()}: tests
 * run with {@code -ea}, so a touch from another context fails them.
 */
final class Owner {
  private final Thread thread = Thread.currentThread();

  Owner() {
    assert Vertx.currentContext() != null : "pool state created outside a Vert.x context";
  }

  /** True on the owner context's thread. */
  boolean current() {
    return Thread.currentThread() == thread;
  }
}
