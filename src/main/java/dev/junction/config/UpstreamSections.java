package dev.junction.config;

import static dev.junction.config.ConfigReader.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an upstream's resilience keys: health, failover, per-tool timeouts, stdio supervision,
 * and the size limits on what an HTTP upstream sends.
 */
final class UpstreamSections {
  private UpstreamSections() {
  }

  static void resilience(Map<String, Object> m, String path, UpstreamOptions u, HealthOptions health,
      List<String> errors) {
    Map<String, Object> own = map(m.get("health"), path + ".health", errors);
    unknownKeys(own, HealthOptions.KEYS, path + ".health", errors);
    u.setHealth(HealthOptions.read(own, path + ".health", health, errors));
    if (m.containsKey("failover")) {
      u.setFailover(strings(m.get("failover"), path + ".failover", errors));
    }
    if (m.containsKey("toolTimeouts")) {
      Map<String, Object> tools = map(m.get("toolTimeouts"), path + ".toolTimeouts", errors);
      Map<String, Long> timeouts = new LinkedHashMap<>();
      for (String tool : tools.keySet()) {
        duration(tools, tool, path + ".toolTimeouts", errors, ms -> timeouts.put(tool, ms));
      }
      u.setToolTimeouts(timeouts);
    }
    boolean stdio = u.transport() == UpstreamOptions.Transport.STDIO;
    for (String k : List.of("maxProcesses", "startConcurrency", "stderrLines")) {
      if (m.containsKey(k) && !stdio) {
        errors.add(path + "." + k + ": only for stdio upstreams");
      }
    }
    count(m, "maxProcesses", path, 1, errors, u::setMaxProcesses);
    count(m, "startConcurrency", path, 1, errors, u::setStartConcurrency);
    count(m, "stderrLines", path, 0, errors, u::setStderrLines);
    for (String k : List.of("maxEventSize", "maxResponseSize")) {
      if (m.containsKey(k) && stdio) {
        errors.add(path + "." + k + ": only for streamable-http and sse upstreams");
      }
    }
    size(m, "maxEventSize", path, UpstreamOptions.MAX_SIZE_LIMIT, errors, n -> u.setMaxEventSize((int) n));
    size(m, "maxResponseSize", path, UpstreamOptions.MAX_SIZE_LIMIT, errors, n -> u.setMaxResponseSize((int) n));
    if (stdio && u.maxProcesses() < 2 && u.health().probeIntervalMs() > 0) {
      // the probe keeps a process of its own: with one slot, no client could ever start one
      errors.add(path + ".maxProcesses: must be at least 2 while health probes are on (the probe keeps one"
          + " process); or set " + path + ".health.probeInterval: 0s");
    }
  }

  private static final java.util.Set<String> AUTH_KEYS = java.util.Set.of("mode", "tokenUrl", "clientId",
      "clientSecret", "scopes", "audience", "resource", "refreshToken", "refreshBefore", "register");

  /** Reads {@code upstreams.<name>.auth}: how the gateway authenticates to the upstream. */
  static void auth(Map<String, Object> m, String path, UpstreamOptions u, boolean inboundOAuth, List<String> errors) {
    if (m.get("auth") == null) {
      return;
    }
    String at = path + ".auth";
    Map<String, Object> a = map(m.get("auth"), at, errors);
    unknownKeys(a, AUTH_KEYS, at, errors);
    UpstreamAuthOptions o = new UpstreamAuthOptions();
    String key = string(a.get("mode"), at + ".mode", errors);
    UpstreamAuthOptions.Mode mode = key == null ? UpstreamAuthOptions.Mode.HEADERS : UpstreamAuthOptions.Mode.of(key);
    if (mode == null) {
      errors.add(at + ".mode: must be one of headers, client-credentials, refresh-token, token-exchange, passthrough;"
          + " got '" + key + "'");
      return;
    }
    o.mode = mode;
    o.tokenUrl = optional(a, "tokenUrl", at, errors);
    o.clientId = optional(a, "clientId", at, errors);
    o.clientSecret = optional(a, "clientSecret", at, errors);
    o.refreshToken = optional(a, "refreshToken", at, errors);
    o.audience = optional(a, "audience", at, errors);
    o.resource = optional(a, "resource", at, errors);
    if (a.containsKey("scopes")) {
      o.scopes = strings(a.get("scopes"), at + ".scopes", errors);
    }
    duration(a, "refreshBefore", at, errors, ms -> o.refreshBeforeMs = ms);
    flag(a, "register", at, errors, b -> o.register = b);
    boolean http = u.transport() != UpstreamOptions.Transport.STDIO;
    if (mode != UpstreamAuthOptions.Mode.HEADERS && !http) {
      errors.add(at + ".mode: " + mode.key() + " needs an HTTP upstream (a stdio upstream takes its credentials from env)");
    }
    switch (mode) {
      case CLIENT_CREDENTIALS -> {
        if (o.clientId == null && !o.register) {
          errors.add(at + ".clientId: required (or register: true to register with the upstream's authorization server)");
        }
      }
      case REFRESH_TOKEN -> {
        for (String k : List.of("tokenUrl", "clientId", "refreshToken")) {
          if (a.get(k) == null) {
            errors.add(at + "." + k + ": required for refresh-token");
          }
        }
      }
      case TOKEN_EXCHANGE -> {
        for (String k : List.of("tokenUrl", "clientId")) {
          if (a.get(k) == null) {
            errors.add(at + "." + k + ": required for token-exchange");
          }
        }
        if (!inboundOAuth) {
          errors.add(at + ".mode: token-exchange needs client tokens to exchange: configure auth.oauth");
        }
      }
      case PASSTHROUGH -> {
        if (!inboundOAuth) {
          errors.add(at + ".mode: passthrough needs client tokens: configure auth.oauth");
        }
      }
      default -> {
      }
    }
    u.setAuth(o);
  }

  private static String optional(Map<String, Object> m, String key, String path, List<String> errors) {
    return m.get(key) == null ? null : string(m.get(key), path + "." + key, errors);
  }

  /** Every failover member names another upstream of the file ({@code names}), once. */
  static void checkFailover(JunctionConfig config, java.util.Set<String> names, List<String> errors) {
    for (UpstreamOptions u : config.upstreams().values()) {
      List<String> members = u.failover();
      for (int i = 0; i < members.size(); i++) {
        String at = "upstreams." + u.name() + ".failover[" + i + "]";
        String member = members.get(i);
        if (member.equals(u.name())) {
          errors.add(at + ": an upstream cannot be its own backup");
        } else if (!names.contains(member)) {
          errors.add(at + ": no upstream named '" + member + "'");
        } else if (members.indexOf(member) != i) {
          errors.add(at + ": '" + member + "' is listed twice");
        }
      }
    }
  }
}
