package dev.junction.routing;

/**
 * Gateway URIs for resources whose URI two upstreams share: {@code junction://<prefix>/<original>}.
 * The original follows unencoded, so a rewritten template still expands ({@code {id}} stays a
 * variable) and the original comes back by cutting the head off. Pure.
 */
public final class ResourceUris {
  public static final String SCHEME = "junction://";

  /** The target of a gateway URI. */
  public record Parsed(String prefix, String original) {
  }

  private ResourceUris() {
  }

  public static String rewrite(String prefix, String original) {
    return SCHEME + prefix + "/" + original;
  }

  /** The prefix and original URI of a gateway URI, or null for any other URI. */
  public static Parsed parse(String uri) {
    if (uri == null || !uri.startsWith(SCHEME)) {
      return null;
    }
    int slash = uri.indexOf('/', SCHEME.length());
    if (slash <= SCHEME.length()) {
      return null;
    }
    return new Parsed(uri.substring(SCHEME.length(), slash), uri.substring(slash + 1));
  }
}
