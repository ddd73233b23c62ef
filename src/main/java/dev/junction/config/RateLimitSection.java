package dev.junction.config;

import static dev.junction.config.ConfigReader.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the rate limit keys: {@code rateLimit} at the top (each tenant), under
 * {@code auth.tenants.<name>} (that tenant) and under {@code upstreams.<name>} (each tenant on that
 * upstream), and {@code upstreams.<name>.toolRateLimits} (each tenant on one of its tools).
 */
final class RateLimitSection {
  static final String KEY = "rateLimit";
  static final String TOOLS_KEY = "toolRateLimits";
  private static final Set<String> KEYS = Set.of("rate", "burst");

  private RateLimitSection() {
  }

  /** The top-level {@code rateLimit}: every tenant's bucket unless its own entry says otherwise. */
  static void global(Map<String, Object> root, JunctionConfig config, List<String> errors) {
    if (root.containsKey(KEY)) {
      RateLimit limit = read(root.get(KEY), KEY, errors);
      if (limit != null) {
        config.setRateLimit(limit);
      }
    }
  }

  /** A declared tenant's own {@code rateLimit}, or null when it has none (the top-level one applies). */
  static RateLimit tenant(Map<String, Object> tenant, String path, List<String> errors) {
    return tenant.containsKey(KEY) ? read(tenant.get(KEY), path + "." + KEY, errors) : null;
  }

  /** An upstream's {@code rateLimit} and {@code toolRateLimits}. */
  static void upstream(Map<String, Object> m, String path, UpstreamOptions u, List<String> errors) {
    if (m.containsKey(KEY)) {
      RateLimit limit = read(m.get(KEY), path + "." + KEY, errors);
      if (limit != null) {
        u.setRateLimit(limit);
      }
    }
    if (m.containsKey(TOOLS_KEY)) {
      String at = path + "." + TOOLS_KEY;
      Map<String, RateLimit> tools = new LinkedHashMap<>();
      map(m.get(TOOLS_KEY), at, errors).forEach((tool, v) -> {
        RateLimit limit = read(v, at + "." + tool, errors);
        if (limit != null && !limit.off()) {
          tools.put(tool, limit);
        }
      });
      u.setToolRateLimits(tools);
    }
  }

  /** {@code 50/s}, {@code {rate: 50/s, burst: 100}} or {@code off}; null (with an error) for anything else. */
  static RateLimit read(Object node, String path, List<String> errors) {
    if (node instanceof Map<?, ?>) {
      Map<String, Object> m = map(node, path, errors);
      unknownKeys(m, KEYS, path, errors);
      if (m.get("rate") == null) {
        errors.add(path + ".rate: required, a rate such as 50/s, 300/m or 1000/h");
        return null;
      }
      RateLimit limit = rate(m.get("rate"), path + ".rate", errors);
      if (limit == null || !m.containsKey("burst")) {
        return limit;
      }
      Object b = m.get("burst");
      long burst = b instanceof Integer i ? i : b instanceof String t && t.trim().matches("\\d{1,10}")
          ? Long.parseLong(t.trim()) : -1;
      if (burst < 1 || burst > RateLimit.MAX) {
        errors.add(path + ".burst: must be a whole number from 1 to " + RateLimit.MAX);
        return null;
      }
      return limit.off() ? limit : limit.withBurst(burst);
    }
    return rate(node, path, errors);
  }

  private static RateLimit rate(Object node, String path, List<String> errors) {
    // YAML 1.1 readers take a bare off for false
    if (Boolean.FALSE.equals(node) || node instanceof String s && "off".equalsIgnoreCase(s.trim())) {
      return RateLimit.OFF;
    }
    RateLimit limit = node instanceof String s ? RateLimit.parseRate(s) : null;
    if (limit == null) {
      errors.add(path + ": must be a rate such as 50/s, 300/m or 1000/h (whole numbers from 1 to "
          + RateLimit.MAX + "), or off");
    }
    return limit;
  }
}
