package dev.junction.config;

import static dev.junction.config.ConfigReader.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cluster mode ({@code cluster:}): this node joins other Junction nodes on the Vert.x clustered
 * event bus, with Hazelcast as the cluster manager, so that a session works whichever node a
 * request reaches. Off by default. Read-only once the gateway starts.
 */
public final class ClusterOptions {
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The Hazelcast member port. */
  public static final int DEFAULT_PORT = 5701;
  /** The event bus's TCP port; 0 takes any free port. */
  public static final int DEFAULT_BUS_PORT = 0;
  /** A member silent this long is removed from the cluster. */
  public static final long DEFAULT_MEMBER_TIMEOUT_MS = 10_000;

  static final Set<String> KEYS = Set.of("enabled", "host", "port", "busPort", "members", "kubernetes",
      "memberTimeout");
  private static final Set<String> KUBERNETES_KEYS = Set.of("serviceDns");

  boolean enabled;
  String host = DEFAULT_HOST;
  int port = DEFAULT_PORT;
  int busPort = DEFAULT_BUS_PORT;
  List<String> members = List.of();
  String serviceDns;
  long memberTimeoutMs = DEFAULT_MEMBER_TIMEOUT_MS;

  public ClusterOptions() {
  }

  public boolean enabled() {
    return enabled;
  }

  /** The address this node binds and announces for cluster traffic (Hazelcast and the event bus). */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public int busPort() {
    return busPort;
  }

  /** Static members ({@code host:port}) joined over TCP; empty when Kubernetes DNS discovery is used. */
  public List<String> members() {
    return members;
  }

  /** The DNS name of the headless Service whose addresses are the members, or null. */
  public String serviceDns() {
    return serviceDns;
  }

  public long memberTimeoutMs() {
    return memberTimeoutMs;
  }

  /** Enables cluster mode with these values (tests). */
  public ClusterOptions enable(String host, int port, List<String> members, long memberTimeoutMs) {
    this.enabled = true;
    this.host = host;
    this.port = port;
    this.members = List.copyOf(members);
    this.memberTimeoutMs = memberTimeoutMs;
    return this;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("enabled", enabled).put("host", host).put("port", port)
        .put("busPort", busPort).put("members", new JsonArray(members))
        .put("memberTimeout", Durations.format(memberTimeoutMs));
    if (serviceDns != null) {
      json.put("kubernetes", new JsonObject().put("serviceDns", serviceDns));
    }
    return json;
  }

  /** Reads the {@code cluster:} section. */
  static ClusterOptions read(Map<String, Object> m, String path, List<String> errors) {
    unknownKeys(m, KEYS, path, errors);
    ClusterOptions o = new ClusterOptions();
    flag(m, "enabled", path, errors, b -> o.enabled = b);
    if (m.containsKey("host")) {
      String host = string(m.get("host"), path + ".host", errors);
      if (host != null && host.isBlank()) {
        errors.add(path + ".host: must not be empty");
      } else if ("0.0.0.0".equals(host) || "::".equals(host)) {
        // other members connect to this address: it must be this node's own
        errors.add(path + ".host: must be this node's address, not a wildcard");
      } else if (host != null) {
        o.host = host;
      }
    }
    o.port = port(m, "port", path, 1, o.port, errors);
    o.busPort = port(m, "busPort", path, 0, o.busPort, errors);
    if (m.containsKey("members")) {
      List<String> members = strings(m.get("members"), path + ".members", errors);
      for (int i = 0; i < members.size(); i++) {
        String member = members.get(i);
        int colon = member.lastIndexOf(':');
        if (colon <= 0 || !member.substring(colon + 1).matches("\\d{1,5}")) {
          errors.add(path + ".members[" + i + "]: must be host:port, got '" + member + "'");
        }
      }
      o.members = List.copyOf(members);
    }
    Map<String, Object> k8s = map(m.get("kubernetes"), path + ".kubernetes", errors);
    unknownKeys(k8s, KUBERNETES_KEYS, path + ".kubernetes", errors);
    if (k8s.containsKey("serviceDns")) {
      String dns = string(k8s.get("serviceDns"), path + ".kubernetes.serviceDns", errors);
      if (dns != null && dns.isBlank()) {
        errors.add(path + ".kubernetes.serviceDns: must not be empty");
      } else {
        o.serviceDns = dns;
      }
    }
    duration(m, "memberTimeout", path, errors, ms -> o.memberTimeoutMs = ms);
    if (o.memberTimeoutMs < 1_000) {
      errors.add(path + ".memberTimeout: must be at least 1s");
    }
    if (o.enabled && o.serviceDns != null && !o.members.isEmpty()) {
      errors.add(path + ": set either members or kubernetes.serviceDns, not both");
    }
    return o;
  }

  private static int port(Map<String, Object> m, String key, String path, int min, int base, List<String> errors) {
    if (!m.containsKey(key)) {
      return base;
    }
    Integer v = integer(m.get(key), path + "." + key, errors);
    if (v != null && (v < min || v > 65535)) {
      errors.add(path + "." + key + ": must be " + min + "..65535, got " + v);
      return base;
    }
    return v == null ? base : v;
  }
}
