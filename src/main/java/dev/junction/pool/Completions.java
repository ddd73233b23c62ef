package dev.junction.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pool transition leaves to run once it has finished: callers' promises to complete,
 * sessions to close, starts and checks to begin. A transition only changes state and collects
 * these; {@link UpstreamPool} runs them after it, in order, so no caller's code (and no session's
 * close event) runs in the middle of a transition. Whatever they set off comes back as a
 * transition of its own. Owned by the shard context, used once.
 */
final class Completions {
  private List<Runnable> steps;
  private List<Future<Void>> closes;

  /** Nothing to run. */
  static Completions none() {
    return new Completions();
  }

  /** Runs {@code step} afterwards. */
  static Completions of(Runnable step) {
    return new Completions().then(step);
  }

  /** Fails {@code promise} afterwards. */
  static Completions failing(Promise<?> promise, Throwable failure) {
    return new Completions().fail(promise, failure);
  }

  /** Runs {@code step} after what is already collected. */
  Completions then(Runnable step) {
    if (steps == null) {
      steps = new ArrayList<>(2);
    }
    steps.add(step);
    return this;
  }

  /** Appends what another transition left. */
  Completions and(Completions other) {
    if (other.steps != null) {
      other.steps.forEach(this::then);
    }
    if (other.closes != null) {
      closes().addAll(other.closes);
    }
    return this;
  }

  <T> Completions succeed(Promise<T> promise, T value) {
    return then(() -> promise.tryComplete(value));
  }

  Completions fail(Promise<?> promise, Throwable failure) {
    return then(() -> promise.tryFail(failure));
  }

  /** Closes a session afterwards; {@link #closed} completes when every close collected here has. */
  Completions close(UpstreamSession session) {
    Promise<Void> done = Promise.promise();
    closes().add(done.future());
    return then(() -> session.close().onComplete(done));
  }

  /** Completes when the sessions this closes are closed. */
  Future<Void> closed() {
    return closes == null ? Future.succeededFuture() : Future.join(closes).mapEmpty();
  }

  private List<Future<Void>> closes() {
    if (closes == null) {
      closes = new ArrayList<>(2);
    }
    return closes;
  }

  /**
   * Runs the collected steps, in order. A step that throws does not keep the others from running
   * (each completes someone's promise); the first failure is thrown once all have run.
   */
  void run() {
    if (steps == null) {
      return;
    }
    RuntimeException failed = null;
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
