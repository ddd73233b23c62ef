package dev.junction.config;

import dev.junction.binding.Key;
import java.util.List;

/**
 * A named selection of upstreams and tools, served at {@code /v/<name>/mcp}, as written under
 * {@code virtualServers.<name>}. Deeply immutable.
 *
 * @param name its name
 */
public record VirtualServerOptions(String name,
    @Key(required = true, doc = "The upstreams it serves, in the order given.") List<String> upstreams,
    @Key(name = "tools.allow", doc = "Globs (* and ?) over exposed tool names; empty: every tool.") List<String> allow,
    @Key(name = "tools.deny", doc = "Globs over exposed tool names hidden even when allowed.") List<String> deny,
    @Key(doc = "What a list does when an upstream fails; default: the top-level failureMode.")
    FailureMode failureMode) {
}
