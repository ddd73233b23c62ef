package dev.junction.mcp;

import io.vertx.core.MultiMap;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The {@code Mcp-Param-{Name}} headers of a 2026-07-28 {@code tools/call}: a tool's parameters that its
 * {@code inputSchema} marks with {@code x-mcp-header}, mirrored by the client (basic/transports/streamable-http,
 * "Custom Headers from Tool Parameters"). The gateway does not know which parameter a header mirrors, so it
 * forwards them as they came (an intermediary that does not recognize one MUST forward it) and the upstream
 * compares them with the body; what it can judge alone is the encoding: a value in the {@code =?base64?...?=}
 * form must be canonical Base64. Pure functions.
 */
public final class ParamHeaders {
  /** The header name prefix, matched without regard to case (RFC 9110 5.1). */
  public static final String PREFIX = "Mcp-Param-";

  private static final String BASE64_PREFIX = "=?base64?";
  private static final String BASE64_SUFFIX = "?=";

  private ParamHeaders() {
  }

  /**
   * The request's {@code Mcp-Param-*} headers by name as received, or null when it has none; a name sent
   * twice keeps its first value (a repeated header is refused by {@link #malformed}).
   */
  public static Map<String, String> of(MultiMap headers) {
    return new Scanner().scan(headers);
  }

  /**
   * Finds a request's {@code Mcp-Param-*} headers (as {@link #of}) with no allocation when there are none:
   * one scanner serves every request of its owner context, one at a time.
   */
  public static final class Scanner implements BiConsumer<String, String> {
    // Owned by the context that created the scanner.
    private Map<String, String> found;

    /** The headers, or null when there are none. */
    public Map<String, String> scan(MultiMap headers) {
      found = null;
      headers.forEach(this);
      Map<String, String> params = found;
      found = null;
      return params;
    }

    @Override
    public void accept(String name, String value) {
      if (name.length() > PREFIX.length() && name.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        if (found == null) {
          found = new LinkedHashMap<>(4);
        }
        found.putIfAbsent(name, value);
      }
    }
  }

  /**
   * The first header (of {@link #of}) that cannot stand for a parameter's value, or null: one that the client
   * sent twice, or whose value is in the Base64 form but is not canonical Base64 (characters outside the
   * alphabet, missing or misplaced padding).
   */
  public static String malformed(MultiMap headers, Map<String, String> params) {
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (headers.getAll(p.getKey()).size() > 1 || !wellFormed(p.getValue())) {
        return p.getKey();
      }
    }
    return null;
  }

  /** Whether a value is a literal or a well-formed {@code =?base64?...?=} form (after trimming). */
  public static boolean wellFormed(String value) {
    String v = value.trim();
    if (!v.startsWith(BASE64_PREFIX) || !v.endsWith(BASE64_SUFFIX)
        || v.length() < BASE64_PREFIX.length() + BASE64_SUFFIX.length()) {
      return true; // a literal: the value as it stands
    }
    String encoded = v.substring(BASE64_PREFIX.length(), v.length() - BASE64_SUFFIX.length());
    if (encoded.length() % 4 != 0) {
      return false; // the decoder accepts missing padding; the header's form requires it
    }
    try {
      Base64.getDecoder().decode(encoded);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
