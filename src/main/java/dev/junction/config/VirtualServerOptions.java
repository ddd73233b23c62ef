package dev.junction.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A named selection of upstreams and tools, served at {@code /v/<name>/mcp}, as written under
 * {@code virtualServers.<name>}. Read-only once the gateway starts.
 */
public final class VirtualServerOptions {
  private final String name;
  private final List<String> upstreams;
  private final List<String> allow;
  private final List<String> deny;
  private final FailureMode failureMode;

  public VirtualServerOptions(String name, List<String> upstreams, List<String> allow, List<String> deny,
      FailureMode failureMode) {
    this.name = name;
    this.upstreams = List.copyOf(upstreams);
    this.allow = List.copyOf(allow);
    this.deny = List.copyOf(deny);
    this.failureMode = failureMode;
  }

  public String name() {
    return name;
  }

  /** The upstreams it serves, in the order given. */
  public List<String> upstreams() {
    return upstreams;
  }

  /** Globs over exposed tool names; empty means every tool. */
  public List<String> allow() {
    return allow;
  }

  /** Globs over exposed tool names that are hidden even when allowed. */
  public List<String> deny() {
    return deny;
  }

  /** What a list does when an upstream fails; null means the gateway's default. */
  public FailureMode failureMode() {
    return failureMode;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("upstreams", new JsonArray(List.copyOf(upstreams)))
        .put("tools", new JsonObject().put("allow", new JsonArray(List.copyOf(allow)))
            .put("deny", new JsonArray(List.copyOf(deny))));
    return failureMode == null ? json : json.put("failureMode", failureMode.key());
  }
}
