package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blocked-thread guard that every IT relies on really sees Vert.x's warning. */
@Timeout(30)
class LogWatchTest {
  @Test
  void aBlockedEventLoopIsCaptured() {
    new LogWatch().beforeAll(null);
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(Gateway.MAX_EVENT_LOOP_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    try {
      vertx.runOnContext(v -> {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (LogWatch.lines().stream().noneMatch(l -> l.contains("has been blocked for")) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(LogWatch.lines()).anyMatch(l -> l.contains("has been blocked for"));
    } finally {
      vertx.close().await();
    }
  }
}
