package dev.junction.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

  /** Until {@code GET http://127.0.0.1:<port>/readyz} answers 200 (a gateway process that is starting). */
  public static void ready(int port, long seconds) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build();
    until(() -> {
      try {
        return http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException notYet) {
        return false; // still starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the gateway", e);
      }
    }, seconds, "the gateway on port " + port + " to be ready");
  }
}
