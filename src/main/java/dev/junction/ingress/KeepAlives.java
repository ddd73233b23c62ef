package dev.junction.ingress;

import io.vertx.core.Vertx;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Keep-alive comments for the calls an ingress instance is answering: one timer for all of them
 * instead of one per request (a timer per call costs more than most calls), ticking a few times
 * per keep-alive period. An exchange silent for the period gets a comment. Owned by its ingress
 * context.
 */
final class KeepAlives {
  private final long periodMs;
  private final Set<Exchange> open = new LinkedHashSet<>();

  KeepAlives(Vertx vertx, long periodMs) {
    this.periodMs = periodMs;
    vertx.setPeriodic(Math.max(50, Math.min(1_000, periodMs / 4)), t -> tick());
  }


  void add(Exchange exchange) {
    open.add(exchange);
  }

  void remove(Exchange exchange) {
    open.remove(exchange);
  }

  private void tick() {
    if (open.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    for (Exchange e : open.toArray(new Exchange[0])) {
      e.tick(now, periodMs);
    }
  }
}
