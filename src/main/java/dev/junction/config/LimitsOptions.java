package dev.junction.config;

import static dev.junction.config.ConfigReader.duration;
import static dev.junction.config.ConfigReader.size;
import static dev.junction.config.ConfigReader.unknownKeys;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the ingress allows a client connection: body sizes, the memory all bodies in flight may
 * hold, and how long a connection may take to send its request head or sit idle. Read-only once
 * the gateway starts.
 */
public final class LimitsOptions {
  /** The largest accepted POST body. */
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
  /** The memory all request bodies being received may hold at once, over all ingress instances. */
  public static final long DEFAULT_BODY_BUDGET_BYTES = 64L * 1024 * 1024;
  /** A connection that has not sent a whole request head this long after opening is closed. */
  public static final long DEFAULT_HEADER_READ_TIMEOUT_MS = 10_000;
  /** A connection with no request in flight for this long is closed. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;

  /** A body is held in one buffer, so its size must fit in one. */
  static final long MAX_BODY_LIMIT = 1L << 30;

  static final Set<String> KEYS = Set.of("maxBody", "bodyBudget", "headerReadTimeout", "idleTimeout");

  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private long bodyBudgetBytes = DEFAULT_BODY_BUDGET_BYTES;
  private long headerReadTimeoutMs = DEFAULT_HEADER_READ_TIMEOUT_MS;
  private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;

  /** Reads the {@code limits} section; problems go to {@code errors} with their key paths. */
  static LimitsOptions read(Map<String, Object> m, String path, List<String> errors) {
    LimitsOptions o = new LimitsOptions();
    unknownKeys(m, KEYS, path, errors);
    size(m, "maxBody", path, MAX_BODY_LIMIT, errors, o::setMaxBodyBytes);
    size(m, "bodyBudget", path, Long.MAX_VALUE, errors, o::setBodyBudgetBytes);
    duration(m, "headerReadTimeout", path, errors, o::setHeaderReadTimeoutMs);
    duration(m, "idleTimeout", path, errors, o::setIdleTimeoutMs);
    return o;
  }

  /** The largest accepted POST body; a larger one gets 413. */
  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  public LimitsOptions setMaxBodyBytes(long bytes) {
    if (bytes <= 0 || bytes > MAX_BODY_LIMIT) {
      throw new IllegalArgumentException("maxBody must be positive and at most 1GiB");
    }
    this.maxBodyBytes = bytes;
    return this;
  }

  /**
   * The bytes that request bodies being received may hold at once, shared out evenly over the
   * ingress instances; a body that would go over its instance's share gets 503.
   */
  public long bodyBudgetBytes() {
    return bodyBudgetBytes;
  }

  public LimitsOptions setBodyBudgetBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("bodyBudget must be positive");
    }
    this.bodyBudgetBytes = bytes;
    return this;
  }

  /** How long a new connection may take to send its first request head. */
  public long headerReadTimeoutMs() {
    return headerReadTimeoutMs;
  }

  public LimitsOptions setHeaderReadTimeoutMs(long ms) {
    if (ms <= 0) {
      throw new IllegalArgumentException("headerReadTimeout must be positive");
    }
    this.headerReadTimeoutMs = ms;
    return this;
  }

  /** How long a connection may stay open with no request in flight (an open SSE stream is in flight). */
  public long idleTimeoutMs() {
    return idleTimeoutMs;
  }

  public LimitsOptions setIdleTimeoutMs(long ms) {
    if (ms <= 0) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
    this.idleTimeoutMs = ms;
    return this;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("maxBody", maxBodyBytes)
        .put("bodyBudget", bodyBudgetBytes)
        .put("headerReadTimeout", Durations.format(headerReadTimeoutMs))
        .put("idleTimeout", Durations.format(idleTimeoutMs));
  }
}
