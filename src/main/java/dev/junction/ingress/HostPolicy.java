package dev.junction.ingress;

import dev.junction.config.JunctionConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DNS-rebinding protection on every request (basic/transports, "Security Warning"): a page on a
 * rebinding name reaches the gateway with that name in {@code Host}, with or without an Origin.
 * Allowed: loopback names, IP addresses (a rebinding attack needs a DNS name), the listen and
 * management hosts, the host of {@code auth.resource}, and {@code allowedHosts}; {@code *} allows
 * any. The port is ignored. Both listeners check it. A request without a Host (HTTP/1.0) is not
 * a browser's and passes. Immutable.
 */
final class HostPolicy {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private final Set<String> allowed = new HashSet<>(Set.of("localhost", "127.0.0.1", "::1"));
  private final boolean any;

  HostPolicy(JunctionConfig config) {
    allowed.add(normalize(config.host()));
    if (config.management() != null) {
      allowed.add(normalize(config.management().host()));
    }
    String resource = config.auth().resource();
    if (resource != null) {
      try {
        String host = new URI(resource).getHost();
        if (host != null) {
          allowed.add(normalize(host));
        }
      } catch (Exception e) {
        // validated at load; nothing to add
      }
    }
    config.allowedHosts().forEach(h -> allowed.add(normalize(h)));
    any = allowed.contains("*");
  }

  boolean allows(HttpServerRequest req) {
    if (any) {
      return true;
    }
    HostAndPort authority = req.authority();
    if (authority == null) {
      return req.getHeader("Host") == null;
    }
    return allows(authority.host());
  }

  boolean allows(String host) {
    String name = normalize(host);
    return any || allowed.contains(name) || IPV4.matcher(name).matches() || name.indexOf(':') >= 0;
  }

  /** Lower case, no brackets around an IPv6 address, no trailing dot. */
  static String normalize(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
