package dev.junction.routing;

import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which upstreams an endpoint serves and how aggregate names map to them. Names on the aggregate
 * endpoint are {@code <prefix>_<name>}; a prefix never contains {@code _}, so the first {@code _}
 * splits a name unambiguously. Immutable: built once from the config, read from any context.
 */
public final class Routes {
  /** An upstream and a name in its own namespace. */
  public record Target(String upstream, String name) {
  }

  private final List<String> upstreams;
  private final Map<String, String> byPrefix = new HashMap<>();
  private final Map<String, String> prefixOf = new HashMap<>();

  public Routes(JunctionConfig config) {
    List<String> names = new ArrayList<>();
    for (UpstreamOptions u : config.upstreams().values()) {
      names.add(u.name());
      byPrefix.put(u.prefix(), u.name());
      prefixOf.put(u.name(), u.prefix());
    }
    this.upstreams = List.copyOf(names);
  }

  /** True when the upstream is configured. */
  public boolean exists(String upstream) {
    return prefixOf.containsKey(upstream);
  }

  /** The upstreams an endpoint serves, in config order. */
  public List<String> upstreams(Endpoint endpoint) {
    return endpoint.aggregate() ? upstreams : List.of(endpoint.server());
  }

  /** The name a client sees for an upstream's tool or prompt on this endpoint. */
  public String exposed(Endpoint endpoint, String upstream, String name) {
    return endpoint.aggregate() ? prefixOf.get(upstream) + "_" + name : name;
  }

  /** The upstream and its own name for a name a client sent, or null when nothing matches. */
  public Target resolve(Endpoint endpoint, String exposed) {
    if (exposed == null) {
      return null;
    }
    if (!endpoint.aggregate()) {
      return new Target(endpoint.server(), exposed);
    }
    int cut = exposed.indexOf('_');
    if (cut <= 0) {
      return null;
    }
    String upstream = byPrefix.get(exposed.substring(0, cut));
    return upstream == null ? null : new Target(upstream, exposed.substring(cut + 1));
  }

  /** The prefix of an upstream on the aggregate endpoint. */
  public String prefix(String upstream) {
    return prefixOf.get(upstream);
  }
}
