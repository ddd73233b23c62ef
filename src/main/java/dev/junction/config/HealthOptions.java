package dev.junction.config;

import static dev.junction.config.ConfigReader.*;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the health verticle watches an upstream: probes, the failure threshold that opens its
 * circuit, reconnect backoff, and failback. Set under {@code health:} for every upstream and
 * under {@code upstreams.<name>.health:} for one. Read-only once the gateway starts.
 */
public final class HealthOptions {
  /** How often a healthy upstream is probed; 0 turns periodic probes off (reconnects still probe). */
  public static final long DEFAULT_PROBE_INTERVAL_MS = 15_000;
  /** How long one step of a probe's check chain may take. */
  public static final long DEFAULT_PROBE_TIMEOUT_MS = 5_000;
  /** Consecutive failures (calls, session starts, probes) that make an upstream Unhealthy. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  public static final long DEFAULT_RECONNECT_INITIAL_DELAY_MS = 1_000;
  public static final long DEFAULT_RECONNECT_MAX_DELAY_MS = 60_000;
  public static final double DEFAULT_RECONNECT_MULTIPLIER = 2.0;
  /** Each delay is varied at random by up to this fraction, so replicas do not reconnect in step. */
  public static final double DEFAULT_RECONNECT_JITTER = 0.2;
  /** How long a recovered primary must stay healthy before traffic moves back from a backup. */
  public static final long DEFAULT_FAILBACK_AFTER_MS = 30_000;

  static final Set<String> KEYS = Set.of("probeInterval", "probeTimeout", "failureThreshold", "reconnect",
      "failbackAfter");
  static final Set<String> GLOBAL_KEYS = union(KEYS, Set.of("readyNeedsHealthyUpstream"));
  private static final Set<String> RECONNECT_KEYS = Set.of("initialDelay", "maxDelay", "multiplier", "jitter");

  long probeIntervalMs = DEFAULT_PROBE_INTERVAL_MS;
  long probeTimeoutMs = DEFAULT_PROBE_TIMEOUT_MS;
  int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
  long initialDelayMs = DEFAULT_RECONNECT_INITIAL_DELAY_MS;
  long maxDelayMs = DEFAULT_RECONNECT_MAX_DELAY_MS;
  double multiplier = DEFAULT_RECONNECT_MULTIPLIER;
  double jitter = DEFAULT_RECONNECT_JITTER;
  long failbackAfterMs = DEFAULT_FAILBACK_AFTER_MS;

  public HealthOptions() {
  }

  /** A copy, for per-upstream overrides on top of the global options. */
  public HealthOptions(HealthOptions other) {
    this.probeIntervalMs = other.probeIntervalMs;
    this.probeTimeoutMs = other.probeTimeoutMs;
    this.failureThreshold = other.failureThreshold;
    this.initialDelayMs = other.initialDelayMs;
    this.maxDelayMs = other.maxDelayMs;
    this.multiplier = other.multiplier;
    this.jitter = other.jitter;
    this.failbackAfterMs = other.failbackAfterMs;
  }

  public long probeIntervalMs() {
    return probeIntervalMs;
  }

  public long probeTimeoutMs() {
    return probeTimeoutMs;
  }

  public int failureThreshold() {
    return failureThreshold;
  }

  public long failbackAfterMs() {
    return failbackAfterMs;
  }

  /**
   * The wait before reconnect attempt {@code attempt} (0 for the first): the initial delay times
   * the multiplier per earlier attempt, capped at the maximum, varied by the jitter.
   */
  public long reconnectDelayMs(int attempt) {
    double base = Math.min(maxDelayMs, initialDelayMs * Math.pow(multiplier, Math.min(attempt, 62)));
    double varied = base * (1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1));
    return Math.max(1, Math.round(Math.min(maxDelayMs, varied)));
  }

  public JsonObject toJson() {
    return new JsonObject().put("probeInterval", Durations.format(probeIntervalMs))
        .put("probeTimeout", Durations.format(probeTimeoutMs)).put("failureThreshold", failureThreshold)
        .put("reconnect", new JsonObject().put("initialDelay", Durations.format(initialDelayMs))
            .put("maxDelay", Durations.format(maxDelayMs)).put("multiplier", multiplier).put("jitter", jitter))
        .put("failbackAfter", Durations.format(failbackAfterMs));
  }

  /** Reads a {@code health:} section over a base (the global options, for per-upstream ones). */
  static HealthOptions read(Map<String, Object> m, String path, HealthOptions base, List<String> errors) {
    HealthOptions o = new HealthOptions(base);
    durationOrZero(m, "probeInterval", path, "(0 turns probes off)", errors, ms -> o.probeIntervalMs = ms);
    duration(m, "probeTimeout", path, errors, ms -> o.probeTimeoutMs = ms);
    count(m, "failureThreshold", path, 1, errors, n -> o.failureThreshold = n);
    duration(m, "failbackAfter", path, errors, ms -> o.failbackAfterMs = ms);
    Map<String, Object> r = map(m.get("reconnect"), path + ".reconnect", errors);
    unknownKeys(r, RECONNECT_KEYS, path + ".reconnect", errors);
    duration(r, "initialDelay", path + ".reconnect", errors, ms -> o.initialDelayMs = ms);
    duration(r, "maxDelay", path + ".reconnect", errors, ms -> o.maxDelayMs = ms);
    Double mult = number(r.get("multiplier"), path + ".reconnect.multiplier", errors);
    if (mult != null && mult < 1) {
      errors.add(path + ".reconnect.multiplier: must be at least 1, got " + mult);
    } else if (mult != null) {
      o.multiplier = mult;
    }
    Double jit = number(r.get("jitter"), path + ".reconnect.jitter", errors);
    if (jit != null && (jit < 0 || jit > 1)) {
      errors.add(path + ".reconnect.jitter: must be between 0 and 1, got " + jit);
    } else if (jit != null) {
      o.jitter = jit;
    }
    // checked where either is set, so that one bad global section is not reported per upstream
    if ((r.containsKey("initialDelay") || r.containsKey("maxDelay")) && o.maxDelayMs < o.initialDelayMs) {
      errors.add(path + ".reconnect.maxDelay: must not be less than initialDelay");
    }
    return o;
  }

  private static Double number(Object v, String path, List<String> errors) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    errors.add(path + ": must be a number");
    return null;
  }
}
