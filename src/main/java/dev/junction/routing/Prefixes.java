package dev.junction.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns each upstream its prefix on the aggregate endpoint: the alias when it is free, otherwise
 * the upstream's name, first come first served in config order. An upstream keeps its prefix for
 * as long as it exists; a later one never takes it. Pure.
 */
public final class Prefixes {
  /** The outcome: prefix per upstream, and problems (a name already taken as someone's prefix). */
  public record Assignment(Map<String, String> prefixes, List<String> errors) {
  }

  private Prefixes() {
  }

  /**
   * @param aliases upstream name to alias (null when none), in config order
   */
  public static Assignment assign(Map<String, String> aliases) {
    Map<String, String> owner = new LinkedHashMap<>();
    Map<String, String> prefixes = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    aliases.forEach((name, alias) -> {
      String prefix = alias != null && !owner.containsKey(alias) ? alias : name;
      String holder = owner.putIfAbsent(prefix, name);
      if (holder != null) {
        errors.add("upstreams." + name + ": prefix '" + prefix + "' is already used by upstream " + holder
            + (alias != null ? " (and so is its alias '" + alias + "')" : "") + "; set a free alias");
      } else {
        prefixes.put(name, prefix);
      }
    });
    return new Assignment(prefixes, errors);
  }
}
