package dev.junction.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The admin page's charts: request rate, error rate, p50 and p99 of the MCP endpoints over the
 * last minutes, sampled from the {@code junction.request.duration} timers (their cumulative counts
 * and histogram buckets) rather than counted on the request path, so it costs requests nothing.
 * Owned by the context that calls {@link #sample}; the registry is read-only here.
 */
public final class RequestHistory {
  private final MeterRegistry registry;
  private final int keep;
  private final Deque<JsonObject> points = new ArrayDeque<>();
  // the last sample's cumulative values
  private long lastAt = -1;
  private double lastCount;
  private double lastErrors;
  private TreeMap<Double, Double> lastBuckets = new TreeMap<>();

  /** @param keep how many points to keep (the oldest are dropped) */
  public RequestHistory(MeterRegistry registry, int keep) {
    this.registry = registry;
    this.keep = keep;
  }

  /** Takes one sample; from the second on, adds a point for the interval since the one before. */
  public void sample(long nowMs) {
    double count = 0;
    double errors = 0;
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (Timer t : registry.find("junction.request.duration").timers()) {
      count += t.count();
      if (!"ok".equals(t.getId().getTag("outcome"))) {
        errors += t.count();
      }
      for (CountAtBucket b : t.takeSnapshot().histogramCounts()) {
        buckets.merge(b.bucket(TimeUnit.MILLISECONDS), b.count(), Double::sum);
      }
    }
    if (lastAt >= 0 && nowMs > lastAt) {
      double seconds = (nowMs - lastAt) / 1000.0;
      double calls = Math.max(0, count - lastCount);
      JsonObject point = new JsonObject().put("t", nowMs)
          .put("rate", calls / seconds)
          .put("errorRate", Math.max(0, errors - lastErrors) / seconds)
          .put("p50", quantile(0.5, calls, buckets))
          .put("p99", quantile(0.99, calls, buckets));
      points.addLast(point);
      while (points.size() > keep) {
        points.removeFirst();
      }
    }
    lastAt = nowMs;
    lastCount = count;
    lastErrors = errors;
    lastBuckets = buckets;
  }

  /** The upper bound (ms) of the bucket holding quantile {@code q} of the interval's calls; 0 with no calls. */
  private double quantile(double q, double calls, TreeMap<Double, Double> buckets) {
    if (calls <= 0) {
      return 0;
    }
    for (var e : buckets.entrySet()) {
      double delta = e.getValue() - lastBuckets.getOrDefault(e.getKey(), 0.0);
      if (delta >= q * calls) {
        return e.getKey();
      }
    }
    return buckets.isEmpty() ? 0 : buckets.lastKey();
  }

  /**
   * The points, oldest first: {@code t} (epoch ms), {@code rate} and {@code errorRate} (per second),
   * {@code p50} and {@code p99} (ms).
   */
  public JsonArray points() {
    return new JsonArray(new ArrayList<>(points));
  }
}
