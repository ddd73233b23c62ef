package dev.junction.oauth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * One upstream access token: cached until shortly before it expires, then fetched again. At most
 * one fetch runs at a time; callers during a fetch share it (single flight). Owned by the OAuth
 * verticle's context.
 */
final class TokenSource {
  /** A token and when it expires (epoch ms). The value is a secret: never logged. */
  record Token(String value, long expiresAt) {
    @Override
    public String toString() {
      return "Token[expiresAt=" + expiresAt + "]";
    }
  }

  private Token current;
  private Future<Token> inflight;
  private long timer = -1;

  Token current() {
    return current;
  }

  /** The cached token while more than {@code refreshBeforeMs} of it is left, else a fetched one. */
  Future<Token> get(long refreshBeforeMs, Supplier<Future<Token>> fetch) {
    if (current != null && current.expiresAt() - refreshBeforeMs > System.currentTimeMillis()) {
      return Future.succeededFuture(current);
    }
    return renew(fetch);
  }

  /** A new token, whatever the cached one; joins a fetch that is already running. */
  Future<Token> renew(Supplier<Future<Token>> fetch) {
    if (inflight != null) {
      return inflight;
    }
    Future<Token> f = fetch.get().andThen(ar -> {
      inflight = null;
      if (ar.succeeded()) {
        current = ar.result();
      }
    });
    if (!f.isComplete()) {
      inflight = f;
    }
    return f;
  }

  /**
   * Runs {@code due} once, {@code refreshBeforeMs} before {@code token} expires (at least a second
   * from now), if the token is still the current one and nothing is scheduled yet.
   */
  void whenDue(Vertx vertx, Token token, long refreshBeforeMs, Runnable due) {
    if (timer < 0 && current == token) {
      long in = Math.max(1_000, token.expiresAt() - refreshBeforeMs - System.currentTimeMillis());
      timer = vertx.setTimer(in, t -> {
        timer = -1;
        due.run();
      });
    }
  }

  /** Cancels what {@link #whenDue} scheduled. */
  void cancel(Vertx vertx) {
    vertx.cancelTimer(timer);
    timer = -1;
  }

  /** True when nothing is cached that could still be used, and nothing is being fetched. */
  boolean stale(long now) {
    return inflight == null && (current == null || current.expiresAt() <= now);
  }
}
