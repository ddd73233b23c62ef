package dev.junction.error;

import io.vertx.core.json.JsonObject;

/** A failure that already knows how it is reported. Stack traces are not filled: it is a value. */
public final class JunctionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final JunctionError error;
  private final String detail;
  private final transient JsonObject data;

  public JunctionException(JunctionError error, String detail) {
    this(error, detail, null);
  }

  public JunctionException(JunctionError error, String detail, JsonObject data) {
    this(error, detail, data, null);
  }

  /** @param cause what the gateway learned the failure from (kept for callers that tell kinds apart) */
  public JunctionException(JunctionError error, String detail, JsonObject data, Throwable cause) {
    super(detail == null ? error.message() : error.message() + ": " + detail, cause, false, false);
    this.error = error;
    this.detail = detail;
    this.data = data;
  }

  /** An upstream failure naming the upstream in {@code data.upstream}. */
  public static JunctionException upstream(JunctionError error, String upstream, String detail) {
    return new JunctionException(error, detail, new JsonObject().put("upstream", upstream));
  }

  /** An upstream failure naming the upstream, caused by {@code cause}. */
  public static JunctionException upstream(JunctionError error, String upstream, String detail, Throwable cause) {
    return new JunctionException(error, detail, new JsonObject().put("upstream", upstream), cause);
  }

  public JunctionError error() {
    return error;
  }

  public JsonObject data() {
    return data;
  }

  /** The JSON-RPC error response for a request with the given id. */
  public JsonObject response(Object id) {
    return error.response(id, detail, data);
  }

  /** What went wrong, for a client or a log line: the message, or the kind of failure when it has none. */
  public static String describe(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
