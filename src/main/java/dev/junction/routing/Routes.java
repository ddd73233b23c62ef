package dev.junction.routing;

import dev.junction.config.FailureMode;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import dev.junction.config.VirtualServerOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which upstreams an endpoint serves and how exposed names map to them. On prefixed endpoints a
 * name is {@code <prefix>_<name>}; a prefix never contains {@code _}, so the first {@code _}
 * splits a name unambiguously. Immutable: built once from the config, read from any context.
 */
public final class Routes {
  /** An upstream and a name as the client wrote it after the prefix. */
  public record Target(String upstream, String name) {
  }

  private final JunctionConfig config;
  private final List<String> upstreams;
  private final Map<String, String> byPrefix = new HashMap<>();
  private final Map<String, String> prefixOf = new HashMap<>();
  private final Map<String, ToolFilter> filters = new HashMap<>();
  private final Map<String, ToolFilter> tenantFilters = new HashMap<>();

  public Routes(JunctionConfig config) {
    this.config = config;
    List<String> names = new ArrayList<>();
    Set<String> backups = new HashSet<>();
    config.upstreams().values().forEach(u -> backups.addAll(u.failover()));
    for (UpstreamOptions u : config.upstreams().values()) {
      // a failover member serves under its primary's names; listing it too would show every tool twice
      if (!backups.contains(u.name())) {
        names.add(u.name());
      }
      byPrefix.put(u.prefix(), u.name());
      prefixOf.put(u.name(), u.prefix());
    }
    this.upstreams = List.copyOf(names);
    for (VirtualServerOptions v : config.virtualServers().values()) {
      filters.put(v.name(), new ToolFilter(v.allow(), v.deny()));
    }
    config.auth().tenants().forEach((name, t) -> tenantFilters.put(name,
        t.allow().isEmpty() && t.deny().isEmpty() ? ToolFilter.ALL : new ToolFilter(t.allow(), t.deny())));
  }

  /** True when the endpoint exists (for its tenant: a server the tenant may not use does not). */
  public boolean exists(Endpoint endpoint) {
    return switch (endpoint.kind()) {
      case AGGREGATE -> true;
      case SERVER -> prefixOf.containsKey(endpoint.name()) && allowed(endpoint.tenant(), endpoint.name());
      case VIRTUAL -> config.virtualServers().containsKey(endpoint.name());
    };
  }

  /** The upstreams an endpoint serves, in order: for a declared tenant, only those it may use. */
  public List<String> upstreams(Endpoint endpoint) {
    List<String> all = switch (endpoint.kind()) {
      case AGGREGATE -> upstreams;
      case SERVER -> List.of(endpoint.name());
      case VIRTUAL -> config.virtualServers().get(endpoint.name()).upstreams();
    };
    return endpoint.tenant() == null ? all : all.stream().filter(u -> allowed(endpoint.tenant(), u)).toList();
  }

  private boolean allowed(String tenant, String upstream) {
    if (tenant == null) {
      return true;
    }
    List<String> mayUse = config.auth().tenants().get(tenant).upstreams();
    return mayUse.isEmpty() || mayUse.contains(upstream);
  }

  /** True when the endpoint serves this upstream. */
  public boolean serves(Endpoint endpoint, String upstream) {
    return upstreams(endpoint).contains(upstream);
  }

  /** The tool filter of the endpoint: the virtual server's, and the tenant's (both over prefixed names). */
  public ToolFilter filter(Endpoint endpoint) {
    ToolFilter own = endpoint.kind() == Endpoint.Kind.VIRTUAL ? filters.get(endpoint.name()) : ToolFilter.ALL;
    ToolFilter tenant = endpoint.tenant() == null ? ToolFilter.ALL : tenantFilters.get(endpoint.tenant());
    return own.and(endpoint.prefixed() ? tenant : tenant.under(prefixOf.get(endpoint.name())));
  }

  /** What a list on this endpoint does when an upstream fails. */
  public FailureMode failureMode(Endpoint endpoint) {
    if (endpoint.kind() == Endpoint.Kind.VIRTUAL) {
      FailureMode own = config.virtualServers().get(endpoint.name()).failureMode();
      if (own != null) {
        return own;
      }
    }
    return config.failureMode();
  }

  /** The name a client sees for an upstream's tool or prompt on this endpoint. */
  public String exposed(Endpoint endpoint, String upstream, String name) {
    return endpoint.prefixed() ? Names.exposed(prefixOf.get(upstream), name) : name;
  }

  /**
   * The upstream and the rest of the name for a name a client sent, or null when no upstream of
   * the endpoint matches. A shortened name's rest is still short: see {@link Names}.
   */
  public Target resolve(Endpoint endpoint, String exposed) {
    if (exposed == null) {
      return null;
    }
    if (!endpoint.prefixed()) {
      return new Target(endpoint.name(), exposed);
    }
    int cut = exposed.indexOf('_');
    if (cut <= 0) {
      return null;
    }
    String upstream = byPrefix.get(exposed.substring(0, cut));
    return upstream == null || !serves(endpoint, upstream) ? null : new Target(upstream, exposed.substring(cut + 1));
  }

  /** The prefix of an upstream. */
  public String prefix(String upstream) {
    return prefixOf.get(upstream);
  }

  /** The upstream with this prefix, or null. */
  public String upstreamOfPrefix(String prefix) {
    return byPrefix.get(prefix);
  }
}
