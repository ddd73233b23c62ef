package dev.junction.ingress;

import dev.junction.config.LimitsOptions;
import dev.junction.error.JunctionError;
import dev.junction.metrics.JunctionMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/**
 * Reads request bodies on the MCP endpoints within two limits: {@code limits.maxBody} per body
 * (413) and this instance's share of {@code limits.bodyBudget} for all bodies being received at
 * once (503). A body's declared {@code Content-Length} is reserved before a byte of it is
 * buffered; a chunked body is charged as its bytes arrive. A body is let in when nothing else
 * is held, so a share smaller than {@code maxBody} slows large bodies down but never refuses
 * them all. A refused body is read and dropped, so the client sees the answer. Each ingress
 * instance keeps its own count (no shared state): its share is the budget divided by the
 * number of instances. Owned by the ingress context.
 */
final class Bodies {
  private final long maxBody;
  private final long share;
  private final JunctionMetrics metrics;
  private long held;

  /** One body being received. */
  private final class Reading {
    final HttpServerRequest req;
    final Consumer<Buffer> then;
    final Buffer buffer;
    long received;
    long charged;
    boolean done;

    Reading(HttpServerRequest req, Consumer<Buffer> then, Buffer buffer) {
      this.req = req;
      this.then = then;
      this.buffer = buffer;
    }

    void chunk(Buffer chunk) {
      if (done) {
        return;
      }
      received += chunk.length();
      if (received > maxBody) {
        refuse(JunctionError.BODY_TOO_LARGE, "too_large");
        return;
      }
      if (received > charged) {
        long more = received - charged;
        if (!fits(more, charged)) {
          refuse(JunctionError.BODY_BUDGET_EXCEEDED, "budget");
          return;
        }
        charge(more);
        charged += more;
      }
      buffer.appendBuffer(chunk);
    }

    void end() {
      if (!done) {
        release();
        then.accept(buffer);
      }
    }

    void release() {
      done = true;
      charge(-charged);
      charged = 0;
    }

    void refuse(JunctionError error, String reason) {
      release();
      refused(req, error, reason);
    }
  }

  Bodies(LimitsOptions limits, int instances, JunctionMetrics metrics) {
    this.maxBody = limits.maxBodyBytes();
    this.share = Math.max(1, limits.bodyBudgetBytes() / instances);
    this.metrics = metrics;
  }

  /** Reads the whole body, then hands it to {@code then}; or answers the refusal itself. */
  void read(HttpServerRequest req, Consumer<Buffer> then) {
    long declared = declared(req);
    if (declared > maxBody) {
      refused(req, JunctionError.BODY_TOO_LARGE, "too_large");
      return;
    }
    if (declared > 0 && !fits(declared, 0)) {
      refused(req, JunctionError.BODY_BUDGET_EXCEEDED, "budget");
      return;
    }
    Reading reading = new Reading(req, then, declared > 0 ? Buffer.buffer((int) declared) : Buffer.buffer());
    if (declared > 0) {
      charge(declared);
      reading.charged = declared;
    }
    req.handler(reading::chunk);
    req.endHandler(v -> reading.end());
    req.exceptionHandler(e -> reading.release());
    req.response().closeHandler(v -> {
      if (!reading.done) {
        reading.release();
      }
    });
    req.resume();
  }

  /** The declared Content-Length, or -1 (chunked, or none). */
  private static long declared(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1; // Netty refuses a malformed one before it gets here
    }
  }

  /** Whether {@code bytes} more fit, for a body that already holds {@code own}. */
  private boolean fits(long bytes, long own) {
    return held == own || held + bytes <= share;
  }

  private void charge(long delta) {
    if (delta != 0) {
      held += delta;
      metrics.bodyBytes(delta);
    }
  }

  /** Answers now; what is left of the body is read and dropped, so the client gets to read the answer. */
  private void refused(HttpServerRequest req, JunctionError error, String reason) {
    metrics.bodyRefused(reason);
    req.handler(chunk -> { });
    req.endHandler(v -> { });
    req.resume();
    Refusal.send(req, error, null);
  }
}
