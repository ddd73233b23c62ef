package dev.junction.config;

import static dev.junction.config.ConfigReader.*;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the keys that concern how the gateway is deployed: {@code management}, {@code shutdown},
 * and the check behind {@code auth.allowRemoteUnauthenticated}. Runs after {@code listen} and
 * {@code auth} have been read.
 */
final class DeploySection {
  static final String MANAGEMENT = "management";
  static final String SHUTDOWN = "shutdown";
  static final String ALLOW_REMOTE = "allowRemoteUnauthenticated";
  private static final Set<String> MANAGEMENT_KEYS = Set.of("host", "port");
  private static final Set<String> SHUTDOWN_KEYS = Set.of("drainDelay", "timeout");
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private DeploySection() {
  }

  static void read(Map<String, Object> root, JunctionConfig config, List<String> errors) {
    management(root, config, errors);
    shutdown(root, config, errors);
    remoteUnauthenticated(root, config, errors);
  }

  private static void management(Map<String, Object> root, JunctionConfig config, List<String> errors) {
    if (root.get(MANAGEMENT) == null) {
      return;
    }
    Map<String, Object> m = map(root.get(MANAGEMENT), MANAGEMENT, errors);
    unknownKeys(m, MANAGEMENT_KEYS, MANAGEMENT, errors);
    String host = m.containsKey("host") ? string(m.get("host"), "management.host", errors) : config.host();
    if (host != null && host.isBlank()) {
      errors.add("management.host: must not be empty");
      return;
    }
    if (m.get("port") == null) {
      errors.add("management.port: required (the port for /healthz, /readyz, /metrics and /admin)");
      return;
    }
    Integer port = integer(m.get("port"), "management.port", errors);
    if (port != null && (port < 0 || port > 65535)) {
      errors.add("management.port: must be 0..65535, got " + port);
    } else if (port != null && port != 0 && port == config.port()) {
      errors.add("management.port: must differ from listen.port (" + port + ")");
    } else if (port != null && host != null) {
      config.setManagement(new ManagementOptions(host, port));
    }
  }

  private static void shutdown(Map<String, Object> root, JunctionConfig config, List<String> errors) {
    Map<String, Object> m = map(root.get(SHUTDOWN), SHUTDOWN, errors);
    unknownKeys(m, SHUTDOWN_KEYS, SHUTDOWN, errors);
    long[] values = {ShutdownOptions.DEFAULT_DRAIN_DELAY_MS, ShutdownOptions.DEFAULT_TIMEOUT_MS};
    durationOrZero(m, "drainDelay", SHUTDOWN, "(0 stops accepting at once)", errors, ms -> values[0] = ms);
    duration(m, "timeout", SHUTDOWN, errors, ms -> values[1] = ms);
    config.setShutdown(new ShutdownOptions(values[0], values[1]));
  }

  /**
   * {@code auth.unauthenticated: allow} takes tenants from headers anyone can set: on a loopback
   * address only local programs reach it, on any other address anyone on the network does, unless
   * an authenticating proxy stands in front, which {@code auth.allowRemoteUnauthenticated} says.
   */
  private static void remoteUnauthenticated(Map<String, Object> root, JunctionConfig config, List<String> errors) {
    Map<String, Object> auth = root.get("auth") instanceof Map<?, ?> ? map(root.get("auth"), "auth", errors) : Map.of();
    boolean[] allowRemote = {false};
    flag(auth, ALLOW_REMOTE, "auth", errors, b -> allowRemote[0] = b);
    if (config.auth().unauthenticated() && !allowRemote[0] && !loopback(config.host())) {
      errors.add("auth.unauthenticated: allow on listen.host " + config.host() + ", which is not a loopback address,"
          + " lets anyone who reaches the port in as any tenant. Configure auth.oauth or auth.apiKeys, listen on"
          + " 127.0.0.1, or set auth.allowRemoteUnauthenticated: true if an authenticating proxy stands in front");
    }
  }

  /** A loopback address written as a literal or as {@code localhost}; other names are not trusted to be one. */
  static boolean loopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return "localhost".equalsIgnoreCase(h) || LOOPBACK_V4.matcher(h).matches() || "::1".equals(h)
        || "0:0:0:0:0:0:0:1".equals(h);
  }
}
