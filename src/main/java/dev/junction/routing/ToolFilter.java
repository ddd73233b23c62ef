package dev.junction.routing;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Allow and deny globs over exposed tool names ({@code *} any run of characters, {@code ?} one
 * character). A name is visible when it matches some allow glob (or there are none) and no deny
 * glob. Lists and calls use the same filter, so a hidden tool cannot be called. Immutable.
 */
public final class ToolFilter {
  /** Lets everything through. */
  public static final ToolFilter ALL = new ToolFilter(List.of(), List.of());

  private final Predicate<String> visible;

  public ToolFilter(List<String> allow, List<String> deny) {
    Pattern[] allowed = allow.stream().map(ToolFilter::glob).toArray(Pattern[]::new);
    Pattern[] denied = deny.stream().map(ToolFilter::glob).toArray(Pattern[]::new);
    // checked on every call: loops over arrays, and nothing at all for an empty filter
    this.visible = allowed.length == 0 && denied.length == 0 ? name -> true
        : name -> (allowed.length == 0 || matches(allowed, name)) && !matches(denied, name);
  }

  private static boolean matches(Pattern[] globs, String name) {
    for (Pattern p : globs) {
      if (p.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  private ToolFilter(Predicate<String> visible) {
    this.visible = visible;
  }

  public boolean visible(String name) {
    return visible.test(name);
  }

  /** Visible to both filters. */
  public ToolFilter and(ToolFilter other) {
    return this == ALL ? other : other == ALL ? this : new ToolFilter(visible.and(other.visible));
  }

  /**
   * This filter, written over prefixed names, applied to an upstream's own names (on its
   * {@code /servers/<name>/mcp} endpoint): each is checked as {@code <prefix>_<name>}.
   */
  public ToolFilter under(String prefix) {
    return this == ALL ? ALL : new ToolFilter(name -> visible.test(Names.exposed(prefix, name)));
  }

  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
