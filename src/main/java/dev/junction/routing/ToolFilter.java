package dev.junction.routing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Allow and deny globs over exposed tool names ({@code *} any run of characters, {@code ?} one
 * character). A name is visible when it matches some allow glob (or there are none) and no deny
 * glob. Lists and calls use the same filter, so a hidden tool cannot be called. Immutable.
 */
public final class ToolFilter {
  /** Lets everything through. */
  public static final ToolFilter ALL = new ToolFilter(List.of(), List.of());

  private final List<Pattern> allow;
  private final List<Pattern> deny;

  public ToolFilter(List<String> allow, List<String> deny) {
    this.allow = allow.stream().map(ToolFilter::glob).toList();
    this.deny = deny.stream().map(ToolFilter::glob).toList();
  }

  public boolean visible(String name) {
    return (allow.isEmpty() || allow.stream().anyMatch(p -> p.matcher(name).matches()))
        && deny.stream().noneMatch(p -> p.matcher(name).matches());
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
