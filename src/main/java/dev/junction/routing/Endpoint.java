package dev.junction.routing;

import java.util.Locale;
import java.util.Objects;

/**
 * A downstream endpoint: the aggregate {@code /mcp}, one upstream at {@code /servers/<name>/mcp},
 * or a virtual server at {@code /v/<name>/mcp}; as seen by a declared tenant ({@code tenant}, whose
 * policy narrows what it serves), or by anyone ({@code tenant} null). Immutable.
 */
public record Endpoint(Kind kind, String name, String tenant) {
  /** The endpoint kinds. */
  public enum Kind {
    AGGREGATE, SERVER, VIRTUAL;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The kind as a metric label: {@code aggregate}, {@code server}, {@code virtual}. */
    public String label() {
      return label;
    }
  }

  /** The aggregate endpoint. */
  public static final Endpoint AGGREGATE = new Endpoint(Kind.AGGREGATE, "", null);

  public static Endpoint server(String name) {
    return new Endpoint(Kind.SERVER, name, null);
  }

  public static Endpoint virtual(String name) {
    return new Endpoint(Kind.VIRTUAL, name, null);
  }

  // Written out: compared on every call, where the generated record methods showed in profiles.
  @Override
  public boolean equals(Object o) {
    return o instanceof Endpoint e && kind == e.kind && Objects.equals(name, e.name)
        && Objects.equals(tenant, e.tenant);
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + Objects.hashCode(name)) * 31 + Objects.hashCode(tenant);
  }

  /** The same endpoint as a declared tenant sees it. */
  public Endpoint forTenant(String tenant) {
    return new Endpoint(kind, name, tenant);
  }

  /** True where names carry the upstream's prefix (aggregate and virtual endpoints). */
  public boolean prefixed() {
    return kind != Kind.SERVER;
  }

  /** The upstream of a single-server endpoint. */
  public String server() {
    return kind == Kind.SERVER ? name : null;
  }

  /** The path it is served at. */
  public String path() {
    return switch (kind) {
      case AGGREGATE -> "/mcp";
      case SERVER -> "/servers/" + name + "/mcp";
      case VIRTUAL -> "/v/" + name + "/mcp";
    };
  }
}
