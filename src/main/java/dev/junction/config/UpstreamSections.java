package dev.junction.config;

import static dev.junction.config.ConfigReader.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads an upstream's resilience keys: health, failover, per-tool timeouts, stdio supervision. */
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
    for (String k : List.of("maxProcesses", "stderrLines")) {
      if (m.containsKey(k) && !stdio) {
        errors.add(path + "." + k + ": only for stdio upstreams");
      }
    }
    count(m, "maxProcesses", path, 1, errors, u::setMaxProcesses);
    count(m, "stderrLines", path, 0, errors, u::setStderrLines);
    if (stdio && u.maxProcesses() < 2 && u.health().probeIntervalMs() > 0) {
      // the probe keeps a process of its own: with one slot, no client could ever start one
      errors.add(path + ".maxProcesses: must be at least 2 while health probes are on (the probe keeps one"
          + " process); or set " + path + ".health.probeInterval: 0s");
    }
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
