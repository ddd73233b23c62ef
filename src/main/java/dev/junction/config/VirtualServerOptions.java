package dev.junction.config;

import java.util.List;

/**
 * A named selection of upstreams and tools, served at {@code /v/<name>/mcp}, as written under
 * {@code virtualServers.<name>}. Deeply immutable.
 *
 * @param name its name
 */
public record VirtualServerOptions(String name,
    @Key(required = true, doc = "The upstreams it serves, in the order given.") List<String> upstreams,
    @Key(doc = "Which tools it shows.") Tools tools,
    @Key(doc = "What a list does when an upstream fails; default: the top-level failureMode.")
    FailureMode failureMode) {

  /** A tool filter: globs ({@code *} and {@code ?}) over exposed (prefixed) tool names. */
  public record Tools(
      @Key(doc = "Globs over exposed tool names; empty: every tool.") List<String> allow,
      @Key(doc = "Globs over exposed tool names hidden even when allowed.") List<String> deny) {
  }

  /** Globs over exposed tool names; empty means every tool. */
  public List<String> allow() {
    return tools.allow();
  }

  /** Globs over exposed tool names that are hidden even when allowed. */
  public List<String> deny() {
    return tools.deny();
  }
}
