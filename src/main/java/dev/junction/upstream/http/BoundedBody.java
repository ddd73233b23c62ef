package dev.junction.upstream.http;

import dev.junction.binding.Sizes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Reads an upstream's response body up to a limit. A body over the limit fails the future with
 * {@link TooLarge} as soon as that is known (from {@code Content-Length}, or once the bytes read
 * pass the limit) and nothing more is kept; the caller then closes the response. Runs on the
 * response's context; a pure helper otherwise.
 */
final class BoundedBody {
  /** A body over its limit. No stack trace: the fault is the upstream's, and it is logged once by the caller. */
  static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  private BoundedBody() {
  }

  /** 1 to 18 decimal digits (a regex here cost each call a visible share of its CPU). */
  static boolean isCount(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The body of {@code resp}, or a {@link TooLarge} failure when it holds more than {@code max} bytes. */
  static Future<Buffer> read(HttpClientResponse resp, int max) {
    Promise<Buffer> promise = Promise.promise();
    resp.exceptionHandler(promise::tryFail); // also once the caller closes a response it did not read
    String length = resp.getHeader("Content-Length");
    if (length != null && isCount(length) && Long.parseLong(length) > max) {
      promise.fail(tooLarge(max));
      return promise.future();
    }
    Buffer body = Buffer.buffer();
    resp.handler(chunk -> {
      if (promise.future().isComplete()) {
        return; // over the limit already: the caller is closing the response
      }
      if ((long) body.length() + chunk.length() > max) {
        promise.fail(tooLarge(max));
        return;
      }
      body.appendBuffer(chunk);
    });
    resp.endHandler(v -> promise.tryComplete(body));
    return promise.future();
  }

  private static TooLarge tooLarge(int max) {
    return new TooLarge("upstream response exceeded " + Sizes.format(max));
  }
}
